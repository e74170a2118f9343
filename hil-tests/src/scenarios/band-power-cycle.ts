// A battery swap (power cut by the relay) keeps the band's history, never reuses a frame
// counter, and loses at most the steps taken since the last flash write.
import { localDay } from "@leiden-iot/protocol";
import type { HilContext } from "../rig/context.js";
import { pollUntil } from "../rig/poll.js";
import { allOf } from "../scenario/tolerance.js";
import type { Measurement, Scenario } from "../scenario/types.js";
import { clockBeforeMidnight, waitForDeviceTime } from "./band-clock.js";
import { bandAdverts, bandHistory, BAND_READ_SETTLE_MS, nextAdvert, newestBand } from "./watch.js";

const OFF_MS = 3_000;
const SWINGS_YESTERDAY = 40;
/** Swings after midnight that an hourly flash write must have saved before the cut. */
export const SWINGS_SAVED = 40;
/** Swings after that write: the only steps the cut may lose. */
export const SWINGS_UNSAVED = 30;
export const STEP_TOLERANCE = 3;
/**
 * The band's flash-write timing, as in the firmware's BAND_TIMING (firmware/src/band/band-app.ts,
 * not exported to the simulator API): steps are written at most once per SAVE_INTERVAL_S, at the
 * first read (every READ_INTERVAL_S) after it has elapsed.
 */
export const BAND_SAVE_INTERVAL_S = 3600;
export const BAND_READ_INTERVAL_S = 300;
/** After the saved swings: one save interval plus one read, plus a minute of margin. */
const SAVE_WAIT_MS = (BAND_SAVE_INTERVAL_S + BAND_READ_INTERVAL_S + 60) * 1000;
/** How long the unsaved steps may take to appear in an advert (an epoch, a read, a margin). */
const UNSAVED_SHOWN_MS = 25 * 60_000;

/**
 * The verdict on today's count across the cut: what was written survives (today after ≥ the saved
 * swings − tolerance) and only the unsaved steps are lost (before − after ≤ the unsaved swings +
 * tolerance). A band that never writes during the day fails the first; one that rolls back further
 * than its last write fails the second.
 */
export function powerCycleLossChecks(v: {
  savedSwings: number;
  unsavedSwings: number;
  todayBefore: number;
  todayAfter: number;
  tolerance: number;
}): { ok: boolean; say: string }[] {
  const lost = v.todayBefore - v.todayAfter;
  return [
    {
      ok: v.todayAfter >= v.savedSwings - v.tolerance,
      say: `saved steps survive: today after the cut ${v.todayAfter} ≥ ${v.savedSwings} − ${v.tolerance} (swings before the hourly write)`,
    },
    {
      ok: lost >= 0 && lost <= v.unsavedSwings + v.tolerance,
      say: `only unsaved steps lost: today ${v.todayBefore} → ${v.todayAfter} (lost ${lost}, at most ${v.unsavedSwings} + ${v.tolerance} swings since the write)`,
    },
  ];
}

export const bandPowerCycle: Scenario = {
  name: "band-power-cycle",
  title:
    "a power cut keeps history, counters stay monotonic, loses only steps since the last write",
  device: "band",
  tolerance: {
    text: `history unchanged; counter after > before; today after ≥ ${SWINGS_SAVED} − ${STEP_TOLERANCE} (saved); loss ≤ ${SWINGS_UNSAVED} + ${STEP_TOLERANCE} (unsaved)`,
  },
  timeoutMs: 150 * 60_000,
  async run(ctx: HilContext): Promise<Measurement> {
    // Make a saved day: steps before a local midnight, which the band writes to flash.
    const midnightMs = await clockBeforeMidnight(ctx, 14);
    const yesterday = localDay(midnightMs / 1000 - 1);
    const today = yesterday + 1;
    await nextAdvert(ctx, bandAdverts, ctx.clock.now(), 60_000);
    await ctx.bench.shake(SWINGS_YESTERDAY);
    await waitForDeviceTime(ctx, midnightMs + 60_000);
    // Steps the band must write: shaken, then one save interval (and a read) passes.
    await ctx.bench.shake(SWINGS_SAVED);
    ctx.log(`waiting ${SAVE_WAIT_MS / 60_000} min for the band's hourly flash write`);
    await ctx.clock.wait(SAVE_WAIT_MS);
    // Adverts change only when the band rebuilds them, so read the newest state heard so far.
    const todayNow = () => bandHistory(bandAdverts(ctx)).get(today) ?? 0;
    const todaySaved = todayNow();
    // Steps after that write, which the cut may lose. The band advertises them at its next
    // rebuild (epoch change every 15 min, or 50 steps), well before its next hourly write.
    await ctx.bench.shake(SWINGS_UNSAVED);
    await pollUntil(ctx.clock, UNSAVED_SHOWN_MS, 5_000, () =>
      todayNow() >= todaySaved + SWINGS_UNSAVED - STEP_TOLERANCE ? true : undefined,
    );
    const before = bandAdverts(ctx);
    const newestBefore = newestBand(ctx);
    if (!newestBefore)
      return { measured: "silent", pass: false, detail: "no advert before the power cut" };
    const histBefore = bandHistory(before);
    const maxCounterBefore = Math.max(...ctx.air.heard().map((h) => h.advert.counter));

    ctx.log(`power off for ${OFF_MS} ms`);
    await ctx.bench.powerCycle(OFF_MS);
    const tOn = ctx.clock.now();
    await nextAdvert(ctx, bandAdverts, tOn, 120_000);
    await ctx.clock.wait(BAND_READ_SETTLE_MS);
    const afterAdverts = bandAdverts(ctx, tOn);
    const histAfter = bandHistory(afterAdverts);
    const minCounterAfter = Math.min(...afterAdverts.map((h) => h.advert.counter));
    const todayBefore = histBefore.get(today) ?? 0;
    const todayAfter = histAfter.get(today) ?? 0;
    const lost = todayBefore - todayAfter;
    const yBefore = histBefore.get(yesterday);
    const yAfter = histAfter.get(yesterday);
    return allOf(
      `yesterday ${yBefore ?? "?"}→${yAfter ?? "missing"}; counter ${maxCounterBefore}→${minCounterAfter}; today ${todayBefore}→${todayAfter} (saved ${todaySaved}, lost ${lost})`,
      [
        {
          ok: yBefore !== undefined && yBefore > 0,
          say: `history before the cut: yesterday ${yBefore ?? "not advertised"} steps`,
        },
        { ok: yAfter === yBefore, say: `yesterday after the cut: ${yAfter ?? "not advertised"}` },
        {
          ok: minCounterAfter > maxCounterBefore,
          say: `lowest counter after the cut ${minCounterAfter} > highest before ${maxCounterBefore}`,
        },
        ...powerCycleLossChecks({
          savedSwings: SWINGS_SAVED,
          unsavedSwings: SWINGS_UNSAVED,
          todayBefore: todayBefore,
          todayAfter: todayAfter,
          tolerance: STEP_TOLERANCE,
        }),
      ],
      {
        yesterdayBefore: yBefore ?? "missing",
        yesterdayAfter: yAfter ?? "missing",
        counterBefore: maxCounterBefore,
        counterAfter: minCounterAfter,
        todaySaved: todaySaved,
        todayBefore: todayBefore,
        todayAfter: todayAfter,
        stepsLost: lost,
      },
    );
  },
};

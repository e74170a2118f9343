// A battery swap (power cut by the relay) keeps the band's history, never reuses a frame
// counter, and loses at most the steps taken since the last flash write.
import { localDay } from "@leiden-iot/protocol";
import type { HilContext } from "../rig/context.js";
import { allOf } from "../scenario/tolerance.js";
import type { Measurement, Scenario } from "../scenario/types.js";
import { clockBeforeMidnight, waitForDeviceTime } from "./band-clock.js";
import { bandAdverts, bandHistory, BAND_READ_SETTLE_MS, nextAdvert, newestBand } from "./watch.js";

const OFF_MS = 3_000;
const SWINGS_YESTERDAY = 40;
const SWINGS_TODAY = 30;
const STEP_TOLERANCE = 3;

export const bandPowerCycle: Scenario = {
  name: "band-power-cycle",
  title: "a power cut keeps history, counters stay monotonic, loss ≤ steps since the last write",
  device: "band",
  tolerance: {
    text: `history unchanged; counter after > before; today's loss ≤ ${SWINGS_TODAY + STEP_TOLERANCE} steps (since the midnight write)`,
  },
  timeoutMs: 50 * 60_000,
  async run(ctx: HilContext): Promise<Measurement> {
    // Make a saved day: steps before a local midnight, which the band writes to flash.
    const midnightMs = await clockBeforeMidnight(ctx, 14);
    const yesterday = localDay(midnightMs / 1000 - 1);
    await nextAdvert(ctx, bandAdverts, ctx.clock.now(), 60_000);
    await ctx.bench.shake(SWINGS_YESTERDAY);
    await waitForDeviceTime(ctx, midnightMs + 60_000);
    await ctx.bench.shake(SWINGS_TODAY);
    const tBefore = ctx.clock.now();
    await ctx.clock.wait(BAND_READ_SETTLE_MS);
    const before = bandAdverts(ctx, tBefore);
    const newestBefore = newestBand(ctx, tBefore);
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
    const today = yesterday + 1;
    const todayBefore = histBefore.get(today) ?? 0;
    const todayAfter = histAfter.get(today) ?? 0;
    const lost = todayBefore - todayAfter;
    const yBefore = histBefore.get(yesterday);
    const yAfter = histAfter.get(yesterday);
    return allOf(
      `yesterday ${yBefore ?? "?"}→${yAfter ?? "missing"}; counter ${maxCounterBefore}→${minCounterAfter}; today lost ${lost}`,
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
        {
          ok: lost >= 0 && lost <= SWINGS_TODAY + STEP_TOLERANCE,
          say: `today ${todayBefore} → ${todayAfter} steps (lost ${lost})`,
        },
      ],
      {
        yesterdayBefore: yBefore ?? "missing",
        yesterdayAfter: yAfter ?? "missing",
        counterBefore: maxCounterBefore,
        counterAfter: minCounterAfter,
        stepsLost: lost,
      },
    );
  },
};

// At local midnight the band starts a new day at 0 steps and keeps yesterday's total, which it
// then advertises as a backlog day.
import { localDay } from "@leiden-iot/protocol";
import type { HilContext } from "../rig/context.js";
import { allOf } from "../scenario/tolerance.js";
import type { Measurement, Scenario } from "../scenario/types.js";
import { clockBeforeMidnight, waitForDeviceTime } from "./band-clock.js";
import { bandAdverts, bandHistory, BAND_READ_SETTLE_MS, nextAdvert, newestBand } from "./watch.js";

const READ_INTERVAL_MS = 300_000;

export const bandMidnight: Scenario = {
  name: "band-midnight",
  title: "local midnight starts a new day and keeps yesterday's total as history",
  device: "band",
  tolerance: {
    text: "day + 1 within one read interval (5 min) of midnight; yesterday's total unchanged",
  },
  timeoutMs: 40 * 60_000,
  async run(ctx: HilContext): Promise<Measurement> {
    const midnightMs = await clockBeforeMidnight(ctx, 14);
    const dayBefore = localDay(midnightMs / 1000 - 1);
    const t0 = ctx.clock.now();
    await nextAdvert(ctx, bandAdverts, t0, 60_000);
    await ctx.bench.shake(40);
    await ctx.clock.wait(READ_INTERVAL_MS + 60_000);
    const last = newestBand(ctx, t0);
    if (!last || last.advert.day !== dayBefore)
      return {
        measured: last ? `day ${last.advert.day}` : "silent",
        pass: false,
        detail: `expected adverts for day ${dayBefore} before midnight`,
      };
    const yesterday = last.advert.steps;
    await waitForDeviceTime(ctx, midnightMs);
    const tMidnight = ctx.clock.now();
    await ctx.clock.wait(BAND_READ_SETTLE_MS);
    const after = bandAdverts(ctx, tMidnight);
    const firstNewDay = after.find((h) => h.advert.day === dayBefore + 1);
    const rolledAfterMs = firstNewDay ? firstNewDay.at - tMidnight : null;
    const newest = newestBand(ctx, tMidnight);
    const history = bandHistory(after);
    const kept = history.get(dayBefore);
    return allOf(
      `rolled ${rolledAfterMs === null ? "never" : `${(rolledAfterMs / 1000).toFixed(0)} s after midnight`}; yesterday ${kept ?? "missing"}/${yesterday}`,
      [
        {
          ok: rolledAfterMs !== null && rolledAfterMs <= READ_INTERVAL_MS + 5_000,
          say:
            rolledAfterMs === null
              ? `no advert for day ${dayBefore + 1} in ${BAND_READ_SETTLE_MS / 60_000} min after midnight`
              : `day ${dayBefore + 1} advertised ${(rolledAfterMs / 1000).toFixed(0)} s after midnight`,
        },
        {
          ok:
            newest !== undefined &&
            newest.advert.day === dayBefore + 1 &&
            newest.advert.steps === 0,
          say: `new day starts at ${newest?.advert.steps ?? "?"} steps (expected 0)`,
        },
        {
          ok: kept === yesterday,
          say: `yesterday's total ${kept ?? "not advertised"} (was ${yesterday} before midnight)`,
        },
      ],
      {
        rolloverSeconds: rolledAfterMs === null ? "never" : rolledAfterMs / 1000,
        yesterdaySteps: yesterday,
        yesterdayKept: kept ?? "missing",
      },
    );
  },
};

// 100 swings of the shaker arm are counted as 100 ± 3 steps, and the gateway publishes the new
// total within 60 s of the band first advertising it.
import type { HilContext } from "../rig/context.js";
import { pollUntil } from "../rig/poll.js";
import { allOf } from "../scenario/tolerance.js";
import type { Measurement, Scenario } from "../scenario/types.js";
import { alignToRead, bandAdverts, BAND_READ_SETTLE_MS, nextAdvert, newestBand } from "./watch.js";

const SWINGS = 100;
const STEP_TOLERANCE = 3;
const PUBLISH_LIMIT_MS = 60_000;

export const bandCountsSwings: Scenario = {
  name: "band-counts-swings",
  title: `${SWINGS} swings are counted as ${SWINGS} ± ${STEP_TOLERANCE} steps and published within 60 s`,
  device: "band",
  tolerance: { text: `${SWINGS} ± ${STEP_TOLERANCE} steps; publish ≤ 60 s after first advert` },
  timeoutMs: 30 * 60_000,
  async run(ctx: HilContext): Promise<Measurement> {
    await nextAdvert(ctx, bandAdverts, ctx.clock.now(), 60_000);
    await alignToRead(ctx, () => ctx.device.deviceNow());
    const before = newestBand(ctx)!;
    const day = before.advert.day;
    const t0 = ctx.clock.now();
    ctx.log(`baseline ${before.advert.steps} steps (counter ${before.advert.counter}); shaking`);
    await ctx.bench.shake(SWINGS);
    await ctx.clock.wait(BAND_READ_SETTLE_MS);
    const after = newestBand(ctx, t0)!;
    if (!after || after.advert.day !== day)
      return {
        measured: "no count",
        pass: false,
        detail: after ? "the local day changed during the run" : "no advert after shaking",
      };
    const counted = after.advert.steps - before.advert.steps;
    // When did the air first carry the final total, and when did the gateway publish it?
    const first = bandAdverts(ctx, t0).find(
      (h) => h.advert.day === day && h.advert.steps === after.advert.steps,
    )!;
    const published = await pollUntil(ctx.clock, PUBLISH_LIMIT_MS * 2, 1000, () =>
      ctx.gateway
        .messages()
        .find(
          (m) =>
            m.at >= first.at &&
            m.band?.days.some((d) => d.steps === after.advert.steps && !d.final) === true,
        ),
    );
    const latency = published ? published.at - first.at : null;
    const stepError = counted - SWINGS;
    return allOf(
      `${counted} steps; published after ${latency === null ? "never" : (latency / 1000).toFixed(1) + " s"}`,
      [
        {
          ok: Math.abs(stepError) <= STEP_TOLERANCE,
          say: `counted ${counted} for ${SWINGS} swings (error ${stepError >= 0 ? "+" : ""}${stepError})`,
        },
        {
          ok: latency !== null && latency <= PUBLISH_LIMIT_MS,
          say:
            latency === null
              ? `the gateway published no report with ${after.advert.steps} steps within ${(2 * PUBLISH_LIMIT_MS) / 1000} s`
              : `gateway published ${(latency / 1000).toFixed(1)} s after the first advert`,
        },
      ],
      {
        steps: counted,
        stepError: stepError,
        publishSeconds: latency === null ? "none" : latency / 1000,
        baselineSteps: before.advert.steps,
      },
    );
  },
};

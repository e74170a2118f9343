// Reaching the daily goal gives exactly one signal (an LED pulse seen by the light sensor) and
// sets the goal flag; walking on past the goal gives no second signal.
import type { HilContext } from "../rig/context.js";
import { countPulses } from "../rig/light.js";
import { allOf } from "../scenario/tolerance.js";
import type { Measurement, Scenario } from "../scenario/types.js";
import { alignToRead, bandAdverts, BAND_READ_SETTLE_MS, nextAdvert, newestBand } from "./watch.js";

const GOAL_MARGIN = 100; // the goal is set this far above today's count (firmware minimum goal: 100)
const SAMPLE_MS = 25;
/** Slowest shaker frequency a rig config allows to be useful; bounds how long a shake lasts. */
const SHAKE_HZ_MIN = 0.5;

/** The band's signal as the rig senses it: a Puck's LED (brightest channel), a Bangle's buzz. */
function signalLevel(ctx: HilContext): number {
  if (ctx.device.board === "banglejs2") return ctx.bench.vibration();
  const l = ctx.bench.light();
  return Math.max(l.red ?? 0, l.green ?? 0, l.blue ?? 0);
}

/** Samples the signal sensor for ms of test time. */
async function watchLed(ctx: HilContext, ms: number, into: number[]): Promise<void> {
  const end = ctx.clock.now() + ms;
  while (ctx.clock.now() < end) {
    into.push(signalLevel(ctx));
    await ctx.clock.wait(SAMPLE_MS);
  }
}

export const bandGoalSignal: Scenario = {
  name: "band-goal-signal",
  title: "reaching the daily goal gives exactly one signal and sets the goal flag",
  device: "band",
  tolerance: {
    text: "exactly 1 signal (Puck: LED pulse, Bangle: vibration); goal flag set after, not before",
  },
  timeoutMs: 40 * 60_000,
  async run(ctx: HilContext): Promise<Measurement> {
    signalLevel(ctx); // connects the sensor now, so its first reports arrive before the goal
    const first = await nextAdvert(ctx, bandAdverts, ctx.clock.now(), 60_000);
    const goal = Math.max(100, first.advert.steps + GOAL_MARGIN);
    await ctx.device.configure({ goalSteps: goal });
    const tCfg = ctx.clock.now();
    const base = await nextAdvert(ctx, bandAdverts, tCfg, 120_000);
    if (base.advert.flags.goalReached || base.advert.steps >= goal)
      return {
        measured: `${base.advert.steps} steps`,
        pass: false,
        detail: `goal flag already set before the goal (${goal}) was walked`,
      };
    const samples: number[] = [];
    await alignToRead(ctx, () => ctx.device.deviceNow());
    // Walk past the goal while watching the LED; then walk on and watch again: still one signal.
    const swings = goal - base.advert.steps + 30;
    const shakeMs = (swings / SHAKE_HZ_MIN) * 1000;
    await Promise.all([
      ctx.bench.shake(swings),
      watchLed(ctx, shakeMs + BAND_READ_SETTLE_MS, samples),
    ]);
    const mid = newestBand(ctx, tCfg);
    const more: number[] = [];
    await Promise.all([
      ctx.bench.shake(60),
      watchLed(ctx, (60 / SHAKE_HZ_MIN) * 1000 + BAND_READ_SETTLE_MS, more),
    ]);
    samples.push(...more);
    const end = newestBand(ctx, tCfg);
    const pulses = countPulses(samples);
    return allOf(
      `${pulses} signal${pulses === 1 ? "" : "s"}`,
      [
        {
          ok: pulses === 1,
          say: `${pulses} ${ctx.device.board === "banglejs2" ? "vibrations" : "LED pulses"} in ${Math.round((samples.length * SAMPLE_MS) / 60_000)} min`,
        },
        {
          ok: mid !== undefined && mid.advert.steps >= goal && mid.advert.flags.goalReached,
          say: `after the goal: ${mid?.advert.steps ?? "?"} steps, goal flag ${mid?.advert.flags.goalReached ?? "?"}`,
        },
        {
          ok: end !== undefined && end.advert.flags.goalReached,
          say: `walking on: goal flag ${end?.advert.flags.goalReached ?? "?"}`,
        },
      ],
      { pulses: pulses, goal: goal, samples: samples.length },
    );
  },
};

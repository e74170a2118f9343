// Every scenario, in the order a run executes them.
import type { Scenario } from "../scenario/types.js";
import { bandCountsSwings } from "./band-counts-swings.js";
import { bandForgedAdvert } from "./band-forged-advert.js";
import { bandGoalSignal } from "./band-goal-signal.js";
import { bandLowBattery } from "./band-low-battery.js";
import { bandMidnight } from "./band-midnight.js";
import { bandPowerCycle } from "./band-power-cycle.js";
import { classroomCo2 } from "./classroom-co2.js";

/** The scenarios a rig runs (on whatever boards its config names). */
export const SCENARIOS: readonly Scenario[] = [
  bandCountsSwings,
  bandPowerCycle,
  bandMidnight,
  bandGoalSignal,
  bandForgedAdvert,
  classroomCo2,
  bandLowBattery,
];

/** A band scenario run on the Bangle.js 2 band: same code, its own name and rig. */
export function onBangle(s: Scenario): Scenario {
  return { ...s, name: `${s.name}@banglejs2`, board: "banglejs2" };
}

/** What --sim runs: every scenario on the Puck.js rig, and every band scenario on a Bangle.js 2. */
export const SIM_SCENARIOS: readonly Scenario[] = [
  ...SCENARIOS,
  ...SCENARIOS.filter((s) => s.device === "band").map(onBangle),
];

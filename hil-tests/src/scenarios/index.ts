// Every scenario, in the order a run executes them.
import type { Scenario } from "../scenario/types.js";
import { bandCountsSwings } from "./band-counts-swings.js";
import { bandForgedAdvert } from "./band-forged-advert.js";
import { bandGoalSignal } from "./band-goal-signal.js";
import { bandLowBattery } from "./band-low-battery.js";
import { bandMidnight } from "./band-midnight.js";
import { bandPowerCycle } from "./band-power-cycle.js";
import { classroomCo2 } from "./classroom-co2.js";

export const SCENARIOS: readonly Scenario[] = [
  bandCountsSwings,
  bandPowerCycle,
  bandMidnight,
  bandGoalSignal,
  bandForgedAdvert,
  classroomCo2,
  bandLowBattery,
];

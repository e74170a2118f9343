// Public API of the simulator, for hil-tests and the gateway's sim source:
// import { createSimulation } from "@leiden-iot/firmware/sim".
export {
  createSimulation,
  DEMO_MASTER_KEY,
  FIRMWARE_ROOT,
  manufacturerData,
  Simulation,
} from "./simulation.js";
export type { PinEvent, SimulationOptions } from "./simulation.js";
export type { BleLine, LoraLine, RadioLine } from "./ndjson-log.js";
export type { WalkSession } from "./walk.js";
export { gaitSample, stepsBetween, walkSteps } from "./walk.js";
export type { StepDetector, WristSource } from "./imu-sim.js";
export { SAMPLE_HZ } from "./imu-sim.js";
// The step detector behind "samples" mode (the firmware's software step counter).
export { STEP_COUNTER_DEFAULTS, StepCounter } from "../steps/step-counter.js";

// Public API of the simulator (import { createSimulation } from "@leiden-iot/firmware/sim"), for
// hil-tests' sim mode and the gateway's page tests (Kijk mee, enrolment). The gateway's sim source
// does not run it: it replays the NDJSON radio stream a run writes (ndjson-log.ts, `npm run sim`).
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

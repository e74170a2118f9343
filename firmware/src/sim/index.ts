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
export type { StepDetector } from "./imu-sim.js";

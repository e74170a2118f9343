// Bundle entry for `npm run bench`: the software step counter as it would ship, and nothing else,
// exposed as a global for the benchmark script that runs on the real Espruino interpreter.
import { StepCounter } from "../src/steps/step-counter.js";

declare const global: { StepCounter: typeof StepCounter };
global.StepCounter = StepCounter;

// The software pedometer: the step counter behind the shape of the HAL's Pedometer, for boards
// without a pedometer in hardware. Espruino-safe.
import { STEP_COUNTER_DEFAULTS, type StepCounterOptions } from "./counter-options.js";
import { StepCounter } from "./step-counter.js";

/** A source of raw accelerometer samples: the shape of the HAL's Accelerometer (src/hal/types.ts). */
export interface SampleSource {
  on(rateHz: number, sample: (x: number, y: number, z: number) => void): void;
  off(): void;
}

/** The shape of the HAL's Pedometer (src/hal/types.ts), plus stop(). */
export interface SoftwarePedometer {
  readonly modulus: number;
  start(): boolean;
  read(): number | null;
  stop(): void;
}

/**
 * A pedometer in software for boards without one in hardware: feeds `source` at the counter's
 * rate into a StepCounter and reads like a 32-bit step register (the band app's step ledger
 * handles the wrap, which takes 4e9 steps).
 */
export function softwarePedometer(
  source: SampleSource,
  options?: Partial<StepCounterOptions>,
): SoftwarePedometer {
  const counter = new StepCounter(options);
  const rate = (options && options.sampleRateHz) || STEP_COUNTER_DEFAULTS.sampleRateHz;
  let running = false;
  return {
    modulus: 4294967296,
    start: function (): boolean {
      if (!running) {
        source.on(rate, function (x: number, y: number, z: number): void {
          counter.push(x, y, z);
        });
        running = true;
      }
      return true;
    },
    read: function (): number | null {
      return counter.count % 4294967296;
    },
    stop: function (): void {
      if (running) source.off();
      running = false;
    },
  };
}

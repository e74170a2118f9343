// Bangle.js 2 adapters: the firmware's own step counter, vibration, button, battery.
import "./espruino-api.js";
import type { Battery, Button, Feedback, Pedometer } from "./types.js";

/** Bangle.getStepCount(): steps since boot, kept by the firmware's step detector. */
export function banglePedometer(): Pedometer {
  return {
    modulus: 4294967296,
    start: () => typeof Bangle !== "undefined" && typeof Bangle.getStepCount === "function",
    read: () => {
      try {
        const n = Bangle.getStepCount();
        return typeof n === "number" && n >= 0 ? Math.floor(n) : null;
      } catch {
        return null;
      }
    },
  };
}

export function bangleFeedback(): Feedback {
  return { pulse: (ms) => Bangle.buzz(ms) };
}

/**
 * Bangle.js 2's LiPo: about 3.55 V under load leaves roughly 10-15 % (the curve is flat from 3.7 V
 * and falls steeply below 3.5 V), so the low-battery flag is raised there.
 */
export const BANGLE_LIPO_LOW_MV = 3550;

export function bangleBattery(): Battery {
  return {
    lowMv: BANGLE_LIPO_LOW_MV,
    millivolts: () => {
      const v = NRF.getBattery();
      return typeof v === "number" && v > 0 ? Math.round(v * 1000) : null;
    },
    external: () => !!Bangle.isCharging(),
  };
}

export function bangleButton(): Button {
  return {
    onPress: (fn) => {
      setWatch(fn, BTN, { edge: "rising", repeat: true, debounce: 50 });
    },
  };
}

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

/**
 * Bangle.js 2's battery pin (D3) reads the LiPo through a divider; its firmware's E.getBattery()
 * takes 0.3144 at the pin as a full 4.2 V cell (ESPR_BATTERY_FULL_VOLTAGE in BANGLEJS2.py;
 * jswrap_banglejs_getBattery). The pin is read directly for millivolt resolution: E.getBattery()'s
 * whole percentages are 40 mV apart below 3.7 V, coarser than the low-battery hysteresis.
 */
export const BANGLE_BATTERY_PIN_FULL = 0.3144;

export function bangleBattery(): Battery {
  return {
    lowMv: BANGLE_LIPO_LOW_MV,
    // Not NRF.getBattery(): on Bangle.js 2 that is the chip's regulated supply (~3.3 V), which
    // would keep the low-battery flag on for good.
    millivolts: () => {
      const v = analogRead(D3);
      return typeof v === "number" && v > 0
        ? Math.round((v * 4200) / BANGLE_BATTERY_PIN_FULL)
        : null;
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

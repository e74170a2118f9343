// Puck.js v2 adapters: the LSM6DS3TR-C hardware pedometer, LEDs, button, battery, and (for the
// classroom node) I2C to the SCD4x and Serial1 to the RN2483.
import "./espruino-api.js";
import type {
  Battery,
  Button,
  Feedback,
  I2CBus,
  LightColour,
  LineSerial,
  Lights,
  Pedometer,
} from "./types.js";

// LSM6DS3TR-C registers (ST driver lsm6ds3tr-c_reg.h); module constants, inlined by the bundler.
const IMU_WHO_AM_I = 0x0f;
const IMU_WHO_AM_I_VALUE = 0x6a;
const IMU_INT1_CTRL = 0x0d;
const IMU_CTRL1_XL = 0x10;
const IMU_CTRL2_G = 0x11;
const IMU_CTRL6_C = 0x15;
const IMU_CTRL10_C = 0x19;
const IMU_STEP_COUNTER_L = 0x4b;
const IMU_STEP_COUNTER_H = 0x4c;
/** 26 Hz, +-2 g. The embedded pedometer runs on a 26 Hz data stream (ST AN for the LSM6DS3
 * family), so 26 Hz is the lowest rate at which the step counter works. */
const IMU_XL_26HZ_2G = 0x20;
/** CTRL6_C bit 4 XL_HM_MODE: 1 = high-performance off, i.e. low-power mode. */
const IMU_XL_LOW_POWER = 0x10;
/** CTRL10_C: FUNC_EN | PEDO_EN. */
const IMU_PEDO_ON = 0x14;

/** Pedometer in the IMU: the CPU sleeps, JS reads STEP_COUNTER every few minutes. */
export function puckPedometer(): Pedometer {
  return {
    modulus: 65536,
    start: () => {
      try {
        Puck.accelOn(26);
        Puck.accelWr(IMU_INT1_CTRL, 0); // no data-ready interrupt: no JS wake per sample
        Puck.accelWr(IMU_CTRL2_G, 0); // gyro off
        Puck.accelWr(IMU_CTRL1_XL, IMU_XL_26HZ_2G);
        Puck.accelWr(IMU_CTRL6_C, IMU_XL_LOW_POWER);
        Puck.accelWr(IMU_CTRL10_C, IMU_PEDO_ON);
        return Puck.accelRd(IMU_WHO_AM_I) === IMU_WHO_AM_I_VALUE;
      } catch {
        return false;
      }
    },
    read: () => {
      try {
        const lo = Puck.accelRd(IMU_STEP_COUNTER_L);
        const hi = Puck.accelRd(IMU_STEP_COUNTER_H);
        if (typeof lo !== "number" || typeof hi !== "number") return null;
        return (lo & 0xff) | ((hi & 0xff) << 8);
      } catch {
        return null;
      }
    },
  };
}

export function puckFeedback(): Feedback {
  // Green LED: 1-2 mA for ms milliseconds, once a day at most.
  return { pulse: (ms) => digitalPulse(LED2, 1, ms) };
}

export function puckLights(): Lights {
  return {
    show: (c: LightColour) => {
      LED1.write(c === "red" || c === "orange");
      LED2.write(c === "green" || c === "orange");
      LED3.write(false);
    },
  };
}

/** Puck.js v2's CR2032: below 2.5 V under the advertising load it is nearly empty. */
export const PUCK_CR2032_LOW_MV = 2500;

export function puckBattery(external: boolean): Battery {
  return {
    lowMv: PUCK_CR2032_LOW_MV,
    millivolts: () => {
      const v = NRF.getBattery();
      return typeof v === "number" && v > 0 ? Math.round(v * 1000) : null;
    },
    external: () => external,
  };
}

export function puckButton(): Button {
  return {
    onPress: (fn) => {
      setWatch(fn, BTN, { edge: "rising", repeat: true, debounce: 50 });
    },
  };
}

/** SCD4x on I2C1: SDA D1, SCL D2, 100 kHz. */
export function puckI2C(): I2CBus {
  I2C1.setup({ sda: D1, scl: D2, bitrate: 100000 });
  return {
    write: (address, bytes) => {
      try {
        I2C1.writeTo(address, bytes);
        return true;
      } catch {
        return false;
      }
    },
    read: (address, count) => {
      try {
        const r = I2C1.readFrom(address, count);
        return r && r.length === count ? new Uint8Array(r) : null;
      } catch {
        return null;
      }
    },
  };
}

/** RN2483 on Serial1: RX D28, TX D29. */
export function puckSerial(): LineSerial {
  let baud = 57600;
  let buf = "";
  let handler: (line: string) => void = () => undefined;
  const setup = (): void => {
    Serial1.setup(baud, { rx: D28, tx: D29 });
  };
  return {
    open: (b, onLine) => {
      baud = b;
      handler = onLine;
      setup();
      Serial1.on("data", (d: string) => {
        buf += d;
        let i = buf.indexOf("\n");
        while (i >= 0) {
          const line = buf.substring(0, i).replace("\r", "");
          buf = buf.substring(i + 1);
          if (line.length > 0) handler(line);
          i = buf.indexOf("\n");
        }
        if (buf.length > 256) buf = ""; // garbage without newlines: drop it
      });
    },
    write: (text) => Serial1.write(text),
    sendBreak: () => {
      // Hold TX low (a break) for ~2 ms, then resume the UART and send 0x55 for auto-baud.
      Serial1.unsetup();
      digitalWrite(D29, 0);
      setTimeout(() => {
        setup();
        Serial1.write("\x55");
      }, 2);
    },
  };
}

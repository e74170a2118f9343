// Energy model of the band: average current per state from the firmware's real duty cycle
// (BAND_TIMING), the per-state currents in ../shared/ESPRUINO.md and, for Bangle.js 2, the software
// AES measured on its interpreter (npm run bench:aes). Pure: no I/O.
import { BAND_TIMING } from "../band/band-app.js";
import { HISTORY_DAYS } from "../band/step-ledger.js";

/** Currents (uA) and charges. Sources: ESPRUINO.md unless marked "assumption". */
export const CURRENTS = {
  /** Puck.js asleep, radio off. */
  SLEEP_UA: 3,
  /** Non-connectable advertising at 375 ms = 22 uA in total: (22 - 3) uA x 0.375 s per event. */
  ADVERT_EVENT_UC: (22 - 3) * 0.375,
  /** LSM6DS3TR-C accelerometer in low-power mode with the pedometer (ESPRUINO.md: ~9 uA at
   * 12.5 Hz; the pedometer needs a 26 Hz stream, for which we assume the same order). */
  IMU_UA: 9,
  /** CPU running JS. */
  CPU_MA: 4,
  /** One LED lit (1-2 mA). */
  LED_MA: 2,
  /** Assumption: nRF52832 receiving (scan) ~5.4 mA radio + CPU: 6 mA. */
  SCAN_MA: 6,
  /** Assumption: JS time to read the step counter and do the tick's bookkeeping. */
  TICK_MS: 10,
  /** Assumption: JS time to encode and CMAC-sign one band frame (2 AES blocks + JS loops). */
  FRAME_MS: 25,
  /** Assumption: one Storage write of ~300 bytes (JS + flash program), CPU-equivalent time. */
  FLASH_WRITE_MS: 20,
  /**
   * Bangle.js 2 has no crypto.AES: the band signs with protocol's softAes128 in JS. Measured by
   * `npm run bench:aes` on the Bangle.js 2 interpreter (callgrind instructions at one per cycle,
   * 64 MHz nRF52840): one AES block 605 ms, one signed band advert (AES-CMAC = 2 blocks + the
   * frame's JS) 1337 ms, one epoch identity (EID + address, 1 block) 656 ms.
   */
  BANGLE_AES_BLOCK_MS: 605,
  BANGLE_FRAME_MS: 1337,
  BANGLE_IDENTITY_MS: 656,
  /**
   * Assumption: NRF.setAddress restarts the radio stack (Espruino docs: advertising stops and
   * restarts), ~10 ms of CPU-equivalent time per change. The band changes its address once per
   * 15-minute epoch (band-app.ts: only when the epoch's address differs).
   */
  ADDRESS_RESTART_MS: 10,
  /** Bangle.js 2 idle with its accelerometer and step counter on: 0.15-0.3 mA (midpoint). */
  BANGLE_BASE_UA: 200,
};

export interface EnergyAssumptions {
  /** Minutes walked per day (drives today-frame rebuilds). */
  walkingMinutesPerDay: number;
  /** Flash writes per day (<= 28, see band-store.ts). */
  flashWritesPerDay: number;
}

export const TYPICAL: EnergyAssumptions = { walkingMinutesPerDay: 90, flashWritesPerDay: 28 };

export interface StateCurrent {
  state: string;
  averageUa: number;
  detail: string;
}

export interface BoardEnergy {
  board: string;
  batteryMah: number;
  states: StateCurrent[];
  totalUa: number;
  lifeDays: number;
  lifeMonths: number;
}

export function bandEnergy(
  board: "puckjs2" | "banglejs2",
  as: EnergyAssumptions,
  timing?: typeof BAND_TIMING,
): BoardEnergy {
  const T = timing ?? BAND_TIMING;
  const C = CURRENTS;
  const day = 86400;
  const frames = HISTORY_DAYS; // today + 14 backlog days once the history is full
  const advertUa = C.ADVERT_EVENT_UC / (T.ADVERT_INTERVAL_MS / 1000);
  const ticksPerDay = day / T.READ_INTERVAL_S;
  const tickUa = (ticksPerDay * C.TICK_MS * C.CPU_MA * 1000) / 1000 / day;
  const rebuildsPerDay = day / 900; // every 900 s epoch: all frames + one AES for the identity
  const todayRebuilds = Math.min(ticksPerDay, (as.walkingMinutesPerDay * 60) / T.READ_INTERVAL_S);
  // Puck.js: crypto.AES in hardware, the frame's JS dominates (assumption, identity ~ one frame).
  // Bangle.js 2: software AES, measured (bench:aes).
  const frameMs = board === "puckjs2" ? C.FRAME_MS : C.BANGLE_FRAME_MS;
  const identityMs = board === "puckjs2" ? C.FRAME_MS : C.BANGLE_IDENTITY_MS;
  const signedPerDay = rebuildsPerDay * frames + todayRebuilds;
  const frameMsPerDay = signedPerDay * frameMs + rebuildsPerDay * identityMs;
  const frameUa = (frameMsPerDay * C.CPU_MA) / day;
  const addressUa = (rebuildsPerDay * C.ADDRESS_RESTART_MS * C.CPU_MA) / day;
  const scansPerDay = day / T.SCAN_EVERY_S;
  const scanUa = (scansPerDay * T.SCAN_MS * C.SCAN_MA) / day;
  const flashUa = (as.flashWritesPerDay * C.FLASH_WRITE_MS * C.CPU_MA) / day;
  const feedbackUa =
    board === "puckjs2" ? (T.GOAL_PULSE_MS * C.LED_MA) / day : (T.GOAL_PULSE_MS * 60) / day; // motor ~60 mA
  const states: StateCurrent[] =
    board === "puckjs2"
      ? [
          { state: "sleep", averageUa: C.SLEEP_UA, detail: "radio off, RTC on" },
          {
            state: "IMU pedometer",
            averageUa: C.IMU_UA,
            detail: "LSM6DS3TR-C low-power, gyro off",
          },
        ]
      : [
          {
            state: "idle + step counter",
            averageUa: C.BANGLE_BASE_UA,
            detail: "Bangle.js 2 firmware, accelerometer on",
          },
        ];
  states.push(
    {
      state: "advertising",
      averageUa: advertUa,
      detail: "non-connectable, " + T.ADVERT_INTERVAL_MS + " ms, " + frames + "-frame rotation",
    },
    {
      state: "pedometer reads",
      averageUa: tickUa,
      detail: ticksPerDay + " wakes/day x " + C.TICK_MS + " ms",
    },
    {
      state: "frame signing",
      averageUa: frameUa,
      detail:
        Math.round(signedPerDay) +
        " AES-CMAC frames/day x " +
        frameMs +
        " ms + " +
        rebuildsPerDay +
        " identities x " +
        identityMs +
        " ms" +
        (board === "puckjs2" ? "" : " (software AES, measured)"),
    },
    {
      state: "address changes",
      averageUa: addressUa,
      detail:
        rebuildsPerDay + " NRF.setAddress/day (radio restart) x " + C.ADDRESS_RESTART_MS + " ms",
    },
    {
      state: "time-beacon scan",
      averageUa: scanUa,
      detail: scansPerDay + " x " + T.SCAN_MS + " ms/day",
    },
    { state: "flash writes", averageUa: flashUa, detail: as.flashWritesPerDay + "/day" },
    { state: "goal feedback", averageUa: feedbackUa, detail: "1 x " + T.GOAL_PULSE_MS + " ms/day" },
  );
  let total = 0;
  for (const s of states) total += s.averageUa;
  const batteryMah = board === "puckjs2" ? 220 : 175;
  const lifeHours = (batteryMah * 1000) / total;
  return {
    board,
    batteryMah,
    states,
    totalUa: total,
    lifeDays: lifeHours / 24,
    lifeMonths: lifeHours / 24 / 30.44,
  };
}

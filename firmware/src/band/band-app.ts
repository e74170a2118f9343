// The band: reads the pedometer every few minutes, keeps local-day totals, advertises a rotation
// of signed frames (today + backlog days) and keeps its clock with gateway time beacons.
import {
  bandFlagsByte,
  cmacKey,
  decodeTimeBeacon,
  deviceKeys,
  epochIdentity,
  epochOf,
  localDay,
  type BandFlags,
  type CmacKey,
} from "@leiden-iot/protocol/device";
import type { AdvertPacket, BandBoard } from "../hal/types.js";
import {
  packetPool,
  todaySteps,
  writeFrame,
  writeRotation,
  type FrameInput,
} from "./band-adverts.js";
import { applyBeacon, restoreClock, type ClockDecision } from "./band-clock.js";
import { loadConfig } from "./band-config.js";
import { loadState, saveState, type BandState } from "./band-store.js";
import { addSteps, mergeFutureDays, stepDelta } from "./step-ledger.js";

/** A date the true time cannot be before: the release floor set by the build (src/build). */
declare const __BUILD_TIME__: number;
const BUILD_TIME = typeof __BUILD_TIME__ === "number" ? __BUILD_TIME__ : 1767225600;

// The band's duty cycle. A const enum: esbuild inlines the numbers, so they cost no variables on
// the device (as module constants they held ~18, as an object ~36, on a Puck.js). BAND_TIMING
// (below) collects them for the energy model and tests.
/* eslint-disable @typescript-eslint/no-duplicate-enum-values -- named constants, not an enumeration: equal values are intended */
const enum T {
  /** Pedometer read / housekeeping tick, aligned to wall-clock multiples (epochs are 3 ticks). */
  READ_INTERVAL_S = 300,
  /** Advertising interval: each frame of an N-frame rotation repeats every N x this. */
  ADVERT_INTERVAL_MS = 1000,
  /** Steps are written to flash at most this often (plus midnight, goal, counter block). */
  SAVE_INTERVAL_S = 3600,
  /** Counter values reserved per flash write: a restart skips to the reserved ceiling. */
  COUNTER_BLOCK = 1024,
  /** Rebuild today's frame when steps moved this much since it was built. */
  STEP_REBUILD = 50,
  /** Time-beacon scan window, and how often to scan (clock set / not set). */
  SCAN_MS = 3000,
  SCAN_EVERY_S = 86400,
  SCAN_UNSET_EVERY_S = 3600,
  /** Goal signal length (LED or vibration). */
  GOAL_PULSE_MS = 150,
  /**
   * The low-battery flag clears only above the board's threshold (`board.battery.lowMv`: CR2032
   * 2500 mV on Puck.js, LiPo 3550 mV on Bangle.js 2) + this, so a sagging cell does not flap it.
   */
  LOW_BATTERY_HYSTERESIS_MV = 50,
  /** Retry reading the provisioning file when it is missing. */
  UNPROVISIONED_RETRY_S = 3600,
}
/* eslint-enable @typescript-eslint/no-duplicate-enum-values */

/** The band's duty cycle: the energy model (src/energy) reads these. */
export const BAND_TIMING: Record<keyof typeof T, number> = {
  READ_INTERVAL_S: T.READ_INTERVAL_S,
  ADVERT_INTERVAL_MS: T.ADVERT_INTERVAL_MS,
  SAVE_INTERVAL_S: T.SAVE_INTERVAL_S,
  COUNTER_BLOCK: T.COUNTER_BLOCK,
  STEP_REBUILD: T.STEP_REBUILD,
  SCAN_MS: T.SCAN_MS,
  SCAN_EVERY_S: T.SCAN_EVERY_S,
  SCAN_UNSET_EVERY_S: T.SCAN_UNSET_EVERY_S,
  GOAL_PULSE_MS: T.GOAL_PULSE_MS,
  LOW_BATTERY_HYSTERESIS_MV: T.LOW_BATTERY_HYSTERESIS_MV,
  UNPROVISIONED_RETRY_S: T.UNPROVISIONED_RETRY_S,
};

export function startBand(board: BandBoard): void {
  const cfg = loadConfig(board.store);
  if (!cfg) {
    // Not provisioned (or config corrupt): nothing to sign with. Stay silent, look again later.
    board.timers.after(T.UNPROVISIONED_RETRY_S * 1000, () => startBand(board));
    return;
  }
  const keys = deviceKeys(board.aes, cfg.deviceKey);
  const macKey: CmacKey = cmacKey(board.aes, keys.mac);
  const timeKey: CmacKey | null = cfg.timeKey ? cmacKey(board.aes, cfg.timeKey) : null;

  const loaded = loadState(board.store);
  const st: BandState = loaded.state;
  const flags: BandFlags = {
    goalReached: false,
    lowBattery: false,
    clockNotSet: false,
    storageFault: loaded.fault,
    sensorFault: false,
  };

  const setClock = (d: ClockDecision): void => {
    if (d.setTo !== null) board.clock.set(d.setTo);
    flags.clockNotSet = d.clockNotSet;
  };
  setClock(restoreClock(board.clock.now(), st.time, BUILD_TIME));
  if (loaded.fresh && !flags.clockNotSet) {
    // No readable state: we cannot know which counters were used. Counters never grow faster
    // than one per second, so seconds since 2020 is a floor no earlier frame can have reached.
    st.counterCeil = Math.max(st.counterCeil, Math.floor(board.clock.now()) - 1577836800);
  }

  let counter = st.counterCeil;
  let lastSave = board.clock.now();
  const save = (): void => {
    st.time = board.clock.now();
    if (!saveState(board.store, st)) flags.storageFault = true;
    lastSave = st.time;
  };
  const nextCounter = (): number => {
    if (counter >= st.counterCeil) {
      st.counterCeil = counter + T.COUNTER_BLOCK;
      save();
    }
    return counter++;
  };
  // Reserve the first block now: any counter used from here on is below the persisted ceiling.
  nextCounter();

  let sensorOk = board.pedometer.start();
  flags.sensorFault = !sensorOk;
  let lastRaw: number | null = sensorOk ? board.pedometer.read() : null;
  let lastRead = board.clock.now();
  let dirty = false;

  // The rotation handed to the radio: views of the pool's buffer, as many as there are frames.
  const pool = packetPool();
  const packets: AdvertPacket[] = [];
  let builtEpoch = -1;
  let builtDay = -1;
  let builtSteps = -1;
  let builtFlags = -1;
  let lastScan = -1e12;
  let lastTick = board.clock.now();

  let currentEid: Uint8Array = new Uint8Array(4);
  let address = "";
  // One closure for both rebuilds (each closure holds ~8 variables on a Puck.js): `all` for a new
  // epoch, day or flags (every frame, the epoch's EID and address), else today's frame only.
  const rebuild = (now: number, all: boolean): void => {
    if (all) {
      const id = epochIdentity(board.aes, keys.eid, epochOf(now));
      currentEid = id.eid;
      // NRF.setAddress restarts the radio stack (Espruino docs): only when the epoch's address
      // differs from the one in use (a midnight or flag rebuild keeps the epoch's address).
      if (id.address !== address) {
        address = id.address;
        board.radio.setAddress(address);
      }
    }
    const f: FrameInput = {
      today: localDay(now),
      days: st.days,
      batteryMv: board.battery.millivolts(),
      flags: flags,
      eid: currentEid,
      macKey: macKey,
    };
    // In place: the radio still holds this array (Espruino keeps the advertising data
    // referenced), and its packets are the pool's, rewritten in place.
    if (all) writeRotation(pool, packets, f, nextCounter);
    else writeFrame(packets[0]!, pool.frameAt, f, 0, 0, nextCounter());
    board.radio.advertise(packets, T.ADVERT_INTERVAL_MS);
    if (all) {
      builtEpoch = epochOf(now);
      builtDay = f.today;
      builtFlags = bandFlagsByte(flags);
    }
    builtSteps = todaySteps(f.today, st.days);
  };

  const readSteps = (now: number): void => {
    if (!sensorOk) {
      sensorOk = board.pedometer.start();
      lastRaw = sensorOk ? board.pedometer.read() : null;
      lastRead = now;
      flags.sensorFault = !sensorOk;
      return;
    }
    const raw = board.pedometer.read();
    if (raw === null) {
      flags.sensorFault = true;
      sensorOk = false;
      return;
    }
    const d = stepDelta(lastRaw, raw, board.pedometer.modulus, now - lastRead);
    if (d.steps > 0) {
      // Filed at the middle of the span they were counted in: reads fall on multiples of 300 s,
      // so a span never straddles midnight, and the read at 00:00 (23:55-24:00) closes the old
      // day instead of opening the new one. (Filed at the read's time, up to 5 minutes of every
      // evening went to the next day.) A span that is not a read interval (clock set backwards)
      // goes to the newest day, as addSteps files it.
      addSteps(st.days, (lastRead + now) / 2, d.steps);
      dirty = true;
    }
    lastRaw = raw;
    lastRead = now;
    flags.sensorFault = d.implausible;
  };

  const onBeacons = (frames: Uint8Array[]): void => {
    if (!timeKey) return;
    for (let i = 0; i < frames.length; i++) {
      const r = decodeTimeBeacon(frames[i]!, timeKey);
      if (!r.ok) continue;
      const wasUnset = flags.clockNotSet;
      setClock(applyBeacon(board.clock.now(), r.value, flags.clockNotSet, st.time));
      const now = board.clock.now();
      st.syncedAt = now;
      if (wasUnset) {
        mergeFutureDays(st.days, localDay(now));
        lastTick = now;
        lastRead = now;
        // With no readable state the counter restarted low: lift it to the time floor now that
        // the time is known (counters never grow faster than one per second).
        if (loaded.fresh) counter = Math.max(counter, Math.floor(now) - 1577836800);
      }
      save();
      rebuild(board.clock.now(), true);
      return;
    }
  };

  // Low battery with a little hysteresis (a coin cell sags under load), checked on every tick so a
  // change reaches the adverts within one read interval rather than at the next epoch.
  const tick = (): void => {
    const now = board.clock.now();
    const mv = board.battery.millivolts();
    const low = board.battery.lowMv;
    if (mv !== null && mv < low) flags.lowBattery = true;
    else if (mv !== null && mv > low + T.LOW_BATTERY_HYSTERESIS_MV) flags.lowBattery = false;
    // A clock that went backwards (or far forwards) between ticks is suspect until the next beacon.
    if (now < lastTick - 5 || now > lastTick + 3 * T.READ_INTERVAL_S + 60) flags.clockNotSet = true;
    lastTick = now;
    readSteps(now);
    const today = localDay(now);
    if (st.days[0]! < today) {
      addSteps(st.days, now, 0);
      dirty = true;
      flags.storageFault = false; // a new day with a good write clears an old storage fault
      save();
    }
    const steps = todaySteps(today, st.days);
    flags.goalReached = steps >= cfg.goal;
    if (flags.goalReached && st.goalDay !== today) {
      st.goalDay = today;
      board.feedback.pulse(T.GOAL_PULSE_MS);
      save();
    }
    if (dirty && now - lastSave >= T.SAVE_INTERVAL_S) save();
    if (dirty && lastSave >= now) dirty = false;
    if (epochOf(now) !== builtEpoch || today !== builtDay || bandFlagsByte(flags) !== builtFlags)
      rebuild(now, true);
    else if (Math.abs(steps - builtSteps) >= T.STEP_REBUILD) rebuild(now, false);
    const every = flags.clockNotSet ? T.SCAN_UNSET_EVERY_S : T.SCAN_EVERY_S;
    if (timeKey && Math.abs(now - lastScan) >= every) {
      lastScan = now;
      board.radio.scan(T.SCAN_MS, onBeacons);
    }
  };

  // Ticks fall on wall-clock multiples of T.READ_INTERVAL_S, so epoch changes and every local
  // midnight (a whole-hour offset from UTC) fall on a tick: the read at 00:00 closes the day with
  // its last steps (readSteps). Each tick schedules the next from the clock, not with a fixed
  // repeat, so the alignment also holds after a beacon or a user has set the clock.
  const onTimer = (): void => {
    tick();
    // 1-300 s: a timer that fired a moment early waits for the next multiple, not for 0 s
    const wait = T.READ_INTERVAL_S - (Math.floor(board.clock.now()) % T.READ_INTERVAL_S);
    board.timers.after(wait * 1000, onTimer);
  };
  rebuild(board.clock.now(), true);
  onTimer();
}

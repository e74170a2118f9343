// The classroom node: SCD4x reading every minute, traffic-light signal, BLE advert with the
// current reading, and LoRaWAN batches sized to the fair-use airtime at the current data rate.
import {
  cmacKey,
  decodeDownlink,
  deviceKeys,
  encodeClassroomAdvert,
  encodeUplink,
  epochIdentity,
  epochOf,
  EU868_MAX_PAYLOAD,
  fromHex,
  localDay,
  loraAirtimeMs,
  toHex,
  type CmacKey,
  type ClassroomPower,
  type ClassroomStatus,
  type ClimateReading,
  type SignalLevel,
} from "@leiden-iot/protocol/device";
import { manufacturerPacket } from "../band/band-adverts.js";
import { loadConfig } from "../band/band-config.js";
import { EARLIEST_VALID_TIME } from "../band/band-clock.js";
import type { ClassroomBoard } from "../hal/types.js";
import { addReading, dropSent, newBuffer, prepareBatch, skipReading } from "./batch.js";
import { loadSettings, saveSettings, type ClassroomSettings } from "./classroom-settings.js";
import { createLoraSession, type OtaaIdentity, type SendResult } from "./lora-session.js";
import { createRn2483 } from "./rn2483.js";
import { createScd4x } from "./scd4x.js";
import { nextSignal } from "./signal.js";
import { DAILY_AIRTIME_BUDGET_MS, planUplinks } from "./uplink-plan.js";
import type { LiveView } from "./live-mode.js";

// A const enum: esbuild inlines the values, so the timing costs no variables on the device.
export const enum CLASSROOM_TIMING {
  ADVERT_INTERVAL_MS = 1000,
  STATUS_EVERY_S = 86400,
  COUNTER_BLOCK = 1024,
  /** Hard daily airtime ceiling enforced at send time (TTN fair use). */
  AIRTIME_LIMIT_MS = 30000,
  FIRMWARE = "1.0",
  UNPROVISIONED_RETRY_S = 3600,
  /** Consecutive failed LoRa sends that raise the system-fault bit. */
  LORA_FAULT_STREAK = 3,
}

/** Gets the running app's live view (live mode, live-mode.ts) once the node runs. */
export type OnRunning = (view: LiveView) => void;

export function startClassroom(board: ClassroomBoard, onRunning?: OnRunning): void {
  const cfg = loadConfig(board.store);
  if (!cfg) {
    board.lights.show("off");
    board.timers.after(CLASSROOM_TIMING.UNPROVISIONED_RETRY_S * 1000, () =>
      startClassroom(board, onRunning),
    );
    return;
  }
  const keys = deviceKeys(board.aes, cfg.deviceKey);
  runClassroom(
    board,
    keys.eid,
    cmacKey(board.aes, keys.mac),
    loadSettings(board.store, cfg.preset),
    {
      devEui: cfg.devEui,
      appEui: cfg.appEui,
      appKey: cfg.appKey,
    },
    onRunning,
  );
}

/**
 * The running node. Memory (Puck.js, ~2630 variables): every closure and every local here lives
 * as long as the node runs, so there are few of each; the configuration, the device key and the
 * settings file's text stay in startClassroom's scope, which ends at boot.
 */
function runClassroom(
  board: ClassroomBoard,
  eidKey: Uint8Array,
  macKey: CmacKey,
  loaded: { settings: ClassroomSettings; fault: boolean },
  otaa: OtaaIdentity,
  onRunning: OnRunning | undefined,
): void {
  const set = loaded.settings;
  set.boots = (set.boots + 1) >>> 0;
  let counter = set.counterCeil;
  set.counterCeil = counter + CLASSROOM_TIMING.COUNTER_BLOCK;
  saveSettings(board.store, set);

  const status: ClassroomStatus = {
    signal: "none",
    calibration: set.autoCalibration ? "auto" : "fixed",
    sensorFault: false,
    clockNotSet: board.clock.now() < EARLIEST_VALID_TIME,
    restarted: true, // cleared once a status uplink has carried it
    systemFault: loaded.fault,
  };
  // System fault: settings were rebuilt from defaults (until a status uplink carried that), or the
  // LoRa module failed LORA_FAULT_STREAK sends in a row (until one succeeds).
  let settingsFault = loaded.fault;
  let loraFailStreak = 0;
  const power: ClassroomPower = { external: board.battery.external(), batteryPercent: null };
  let reading: ClimateReading | null = null;
  const buffer = newBuffer();
  let aggregate = 1;
  let airDay = -1;
  let airUsedMs = 0;
  let lastUplink = board.clock.now();
  let lastStatus = -1e12;
  /** Batch entries in the uplink in flight (the session sends one at a time). */
  let sentCount = 0;
  /** A backlog (after a LoRa outage) is sent one batch per reading until it is down to one batch. */
  let catchUp = false;

  const scd = createScd4x(board.i2c, board.timers);
  const onSensorStart = (ok: boolean): void => {
    if (!ok) status.sensorFault = true;
  };
  scd.start(set.autoCalibration, onSensorStart);

  let epoch = -1;
  let eid: Uint8Array = new Uint8Array(4);
  const advertise = (): void => {
    const now = board.clock.now();
    if (epochOf(now) !== epoch) {
      epoch = epochOf(now);
      const id = epochIdentity(board.aes, eidKey, epoch);
      eid = id.eid;
      board.radio.setAddress(id.address);
    }
    if (counter >= set.counterCeil) {
      set.counterCeil = counter + CLASSROOM_TIMING.COUNTER_BLOCK;
      saveSettings(board.store, set);
    }
    power.external = board.battery.external();
    const frame = encodeClassroomAdvert(
      { eid: "", counter: counter++, reading: reading, power: power, status: status },
      eid,
      macKey,
    );
    board.radio.advertise([manufacturerPacket(frame)], CLASSROOM_TIMING.ADVERT_INTERVAL_MS);
  };

  /**
   * Sends a status uplink (batch false) or the oldest buffered entries, charged to today's airtime
   * ledger (refused when it would break the daily limit).
   */
  const uplink = (batch: boolean): void => {
    if (!lora.isJoined()) return;
    const dr = lora.dataRate();
    const now = board.clock.now();
    power.external = board.battery.external();
    let count = 0;
    let fPort: number;
    let bytes: Uint8Array;
    if (batch) {
      catchUp = false;
      const p = prepareBatch(
        buffer,
        EU868_MAX_PAYLOAD[Math.min(dr, 5)]!,
        set.readingIntervalSeconds * aggregate,
        power,
        status,
        now,
      );
      if (!p) return;
      count = p.count;
      fPort = p.fPort;
      bytes = p.bytes;
    } else {
      const u = encodeUplink({
        kind: "device_status",
        firmware: CLASSROOM_TIMING.FIRMWARE as string,
        readingIntervalSeconds: set.readingIntervalSeconds,
        uplinkIntervalMinutes: set.uplinkMinutes,
        thresholds: set.thresholds,
        status: status,
        power: power,
        boots: set.boots & 0xffff,
      });
      fPort = u.fPort;
      bytes = u.bytes;
    }
    const day = localDay(now);
    if (day !== airDay) {
      airDay = day;
      airUsedMs = 0;
    }
    const ms = loraAirtimeMs(bytes.length, 12 - Math.min(dr, 5));
    if (airUsedMs + ms > CLASSROOM_TIMING.AIRTIME_LIMIT_MS) return;
    airUsedMs += ms;
    if (batch) lastUplink = now;
    else lastStatus = now;
    sentCount = count;
    lora.send(fPort, toHex(bytes), onSent);
  };
  const sendStatus = (): void => uplink(false);

  /**
   * After an uplink of sentCount batch entries (0: a status uplink). One handler for every send:
   * a closure per send would keep uplink()'s locals (the payload among them) for the exchange.
   */
  const onSent = (r: SendResult): void => {
    const n = sentCount;
    if (n > 0) {
      // Sent, or refused for good (invalid_param: the command itself is wrong): drop the readings.
      // no_free_ch, busy, mac_err, timeout: keep them for the next uplink.
      if (r.ok || r.error === "invalid_param") dropSent(buffer, n);
      catchUp = r.ok && buffer.count >= n;
    } else if (r.ok) {
      status.restarted = false;
      settingsFault = false;
    }
    loraFailStreak = r.ok ? 0 : loraFailStreak + 1;
    status.systemFault = settingsFault || loraFailStreak >= CLASSROOM_TIMING.LORA_FAULT_STREAK;
    if (r.downlink) onDownlink(r.downlink.port, r.downlink.hex);
  };

  const lora = createLoraSession(
    createRn2483(board.serial, board.timers),
    board.timers,
    otaa,
    sendStatus,
  );

  const showSignal = (): void => {
    const s: SignalLevel = status.signal;
    board.lights.show(s === "none" ? "off" : s);
  };

  const onReading = (r: ClimateReading | null): void => {
    const now = board.clock.now();
    // Entries already buffered keep the averaging they were made with: a new plan (after ADR
    // moved the data rate) takes effect when the buffer is empty.
    const plan = lora.isJoined()
      ? planUplinks(
          lora.dataRate(),
          set.readingIntervalSeconds,
          set.uplinkMinutes,
          DAILY_AIRTIME_BUDGET_MS,
        )
      : null;
    if (plan && buffer.count === 0 && buffer.slots === 0) aggregate = plan.aggregate;
    reading = r;
    status.sensorFault = !r;
    // After the driver's retries: no reading is better than a wrong one.
    if (r) addReading(buffer, r, aggregate, now);
    else skipReading(buffer, aggregate, now);
    status.signal = nextSignal(status.signal, r ? r.co2Ppm : null, set.thresholds);
    showSignal();
    advertise();
    if (!plan) return;
    if (now - lastStatus >= CLASSROOM_TIMING.STATUS_EVERY_S) uplink(false);
    else if (catchUp || now - lastUplink >= plan.uplinkMinutes * 60 - 1) uplink(true);
  };
  // One sensor, two readers (the app every minute, live mode every 5 s): a read in the sensor's
  // 5 s period is shared, so neither takes the other's sample (a taken sample leaves the other
  // "not ready"), and a second caller waits for the read in flight.
  let shared: ClimateReading | null = null;
  let sharedAt = -1e9;
  let waiting: ((r: ClimateReading | null) => void)[] | null = null;
  const sample = (done: (r: ClimateReading | null) => void): void => {
    const now = board.clock.now();
    if (Math.abs(now - sharedAt) < 4.5) return done(shared);
    if (waiting) return void waiting.push(done);
    waiting = [done];
    scd.read((r) => {
      shared = r;
      sharedAt = now;
      const w = waiting!;
      waiting = null;
      w.forEach((f) => f(r));
    });
  };
  const measure = (): void => sample(onReading);

  let measureTimer: unknown = board.timers.every(set.readingIntervalSeconds * 1000, measure);

  const onRecalibrated = (ok: boolean): void => {
    status.calibration = ok ? (set.autoCalibration ? "auto" : "fixed") : "recalibration_failed";
  };
  const onDownlink = (port: number, hex: string): void => {
    const bytes = fromHex(hex);
    const d = bytes ? decodeDownlink(port, bytes) : null;
    if (!d || !d.ok) return; // a bad downlink changes nothing
    const v = d.value;
    if (v.kind === "set_interval") {
      set.readingIntervalSeconds = v.readingIntervalSeconds;
      set.uplinkMinutes = v.uplinkIntervalMinutes;
      board.timers.cancel(measureTimer);
      measureTimer = board.timers.every(set.readingIntervalSeconds * 1000, measure);
    } else if (v.kind === "set_thresholds") {
      set.thresholds = {
        orangePpm: v.orangePpm,
        redPpm: v.redPpm,
        hysteresisPpm: v.hysteresisPpm,
      };
    } else if (v.kind === "set_time") {
      board.clock.set(v.unixSeconds);
      status.clockNotSet = false;
    } else if (v.command === "forced_recalibration") {
      status.calibration = "recalibrating";
      scd.recalibrate(v.referencePpm, onRecalibrated);
    } else {
      set.autoCalibration = v.command === "auto_calibration_on";
      scd.start(set.autoCalibration, onSensorStart);
      status.calibration = set.autoCalibration ? "auto" : "fixed";
    }
    saveSettings(board.store, set);
    // Report the new configuration a little later (the RN2483 is still finishing this exchange).
    board.timers.after(5000, sendStatus);
  };

  // The button only shows the current level: no reading, no batch entry, no counter, no uplink.
  board.button.onPress(showSignal);
  showSignal();
  advertise();
  if (onRunning) onRunning({ sample: sample, signal: () => status.signal, advertise: advertise });
}

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
  type CalibrationState,
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
import { loadSettings, saveSettings } from "./classroom-settings.js";
import { createLoraSession, type SendResult } from "./lora-session.js";
import { createRn2483 } from "./rn2483.js";
import { createScd4x } from "./scd4x.js";
import { nextSignal } from "./signal.js";
import { DAILY_AIRTIME_BUDGET_MS, planUplinks } from "./uplink-plan.js";

export const CLASSROOM_TIMING = {
  ADVERT_INTERVAL_MS: 1000,
  STATUS_EVERY_S: 86400,
  COUNTER_BLOCK: 1024,
  /** Hard daily airtime ceiling enforced at send time (TTN fair use). */
  AIRTIME_LIMIT_MS: 30000,
  FIRMWARE: "1.0",
  UNPROVISIONED_RETRY_S: 3600,
  /** Consecutive failed LoRa sends that raise the system-fault bit. */
  LORA_FAULT_STREAK: 3,
};

export function startClassroom(board: ClassroomBoard): void {
  const T = CLASSROOM_TIMING;
  const cfg = loadConfig(board.store);
  if (!cfg) {
    board.lights.show("off");
    board.timers.after(T.UNPROVISIONED_RETRY_S * 1000, () => startClassroom(board));
    return;
  }
  const keys = deviceKeys(board.aes, cfg.deviceKey);
  const macKey = cmacKey(board.aes, keys.mac);
  const loaded = loadSettings(board.store, cfg.preset);
  const set = loaded.settings;
  set.boots = (set.boots + 1) >>> 0;
  let counter = set.counterCeil;
  set.counterCeil = counter + T.COUNTER_BLOCK;
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
  const updateSystemFault = (): void => {
    status.systemFault = settingsFault || loraFailStreak >= T.LORA_FAULT_STREAK;
  };
  const power = (): ClassroomPower => ({
    external: board.battery.external(),
    batteryPercent: null,
  });
  let reading: ClimateReading | null = null;
  const buffer = newBuffer();
  let aggregate = 1;
  let airDay = -1;
  let airUsedMs = 0;
  let lastUplink = board.clock.now();
  let lastStatus = -1e12;
  /** A backlog (after a LoRa outage) is sent one batch per reading until it is down to one batch. */
  let catchUp = false;

  const scd = createScd4x(board.i2c, board.timers);
  scd.start(set.autoCalibration, (ok) => {
    if (!ok) status.sensorFault = true;
  });

  const nextCounter = (): number => {
    if (counter >= set.counterCeil) {
      set.counterCeil = counter + T.COUNTER_BLOCK;
      saveSettings(board.store, set);
    }
    return counter++;
  };

  let epoch = -1;
  let eid: Uint8Array = new Uint8Array(4);
  const advertise = (): void => {
    const now = board.clock.now();
    if (epochOf(now) !== epoch) {
      epoch = epochOf(now);
      const id = epochIdentity(board.aes, keys.eid, epoch);
      eid = id.eid;
      board.radio.setAddress(id.address);
    }
    const frame = encodeClassroomAdvert(
      { eid: "", counter: nextCounter(), reading: reading, power: power(), status: status },
      eid,
      macKey,
    );
    board.radio.advertise([manufacturerPacket(frame)], T.ADVERT_INTERVAL_MS);
  };

  /** Charges airtime to today's ledger; false when it would break the daily limit. */
  const chargeAirtime = (bytes: number, dr: number): boolean => {
    const day = localDay(board.clock.now());
    if (day !== airDay) {
      airDay = day;
      airUsedMs = 0;
    }
    const ms = loraAirtimeMs(bytes, 12 - Math.min(dr, 5));
    if (airUsedMs + ms > T.AIRTIME_LIMIT_MS) return false;
    airUsedMs += ms;
    return true;
  };

  let onDownlink: (port: number, hex: string) => void = () => undefined;
  const afterSend = (r: SendResult): void => {
    loraFailStreak = r.ok ? 0 : loraFailStreak + 1;
    updateSystemFault();
    if (r.downlink) onDownlink(r.downlink.port, r.downlink.hex);
  };

  const sendStatus = (): void => {
    const u = encodeUplink({
      kind: "device_status",
      firmware: T.FIRMWARE,
      readingIntervalSeconds: set.readingIntervalSeconds,
      uplinkIntervalMinutes: set.uplinkMinutes,
      thresholds: set.thresholds,
      status: status,
      power: power(),
      boots: set.boots & 0xffff,
    });
    if (!lora.isJoined() || !chargeAirtime(u.bytes.length, lora.dataRate())) return;
    lastStatus = board.clock.now();
    lora.send(u.fPort, toHex(u.bytes), (r) => {
      if (r.ok) {
        status.restarted = false;
        settingsFault = false;
      }
      afterSend(r);
    });
  };

  const lora = createLoraSession(
    createRn2483(board.serial, board.timers),
    board.timers,
    { devEui: cfg.devEui, appEui: cfg.appEui, appKey: cfg.appKey },
    () => sendStatus(),
  );

  const sendBatch = (): void => {
    const dr = lora.dataRate();
    const p = prepareBatch(
      buffer,
      EU868_MAX_PAYLOAD[Math.min(dr, 5)]!,
      set.readingIntervalSeconds * aggregate,
      power(),
      status,
      board.clock.now(),
    );
    catchUp = false;
    if (!p || !chargeAirtime(p.bytes.length, dr)) return;
    lastUplink = board.clock.now();
    lora.send(p.fPort, toHex(p.bytes), (r) => {
      // Sent, or refused for good (invalid_param: the command itself is wrong): drop the readings.
      // no_free_ch, busy, mac_err, timeout: keep them for the next uplink.
      if (r.ok || r.error === "invalid_param") dropSent(buffer, p.count);
      catchUp = r.ok && buffer.count >= p.count;
      afterSend(r);
    });
  };

  const showSignal = (): void => {
    const s: SignalLevel = status.signal;
    board.lights.show(s === "none" ? "off" : s);
  };

  const measure = (): void => {
    scd.read((r) => {
      // Entries already buffered keep the averaging they were made with: a new plan (after ADR
      // moved the data rate) takes effect when the buffer is empty.
      if (lora.isJoined() && buffer.count === 0 && buffer.slots === 0)
        aggregate = planUplinks(
          lora.dataRate(),
          set.readingIntervalSeconds,
          set.uplinkMinutes,
          DAILY_AIRTIME_BUDGET_MS,
        ).aggregate;
      if (r) {
        reading = r;
        status.sensorFault = false;
        addReading(buffer, r, aggregate, board.clock.now());
      } else {
        // After the driver's retries: no reading is better than a wrong one.
        reading = null;
        status.sensorFault = true;
        skipReading(buffer, aggregate, board.clock.now());
      }
      status.signal = nextSignal(status.signal, reading ? reading.co2Ppm : null, set.thresholds);
      showSignal();
      advertise();
      const now = board.clock.now();
      if (!lora.isJoined()) return;
      const plan = planUplinks(
        lora.dataRate(),
        set.readingIntervalSeconds,
        set.uplinkMinutes,
        DAILY_AIRTIME_BUDGET_MS,
      );
      if (now - lastStatus >= T.STATUS_EVERY_S) sendStatus();
      else if (catchUp || now - lastUplink >= plan.uplinkMinutes * 60 - 1) sendBatch();
    });
  };

  let measureTimer: unknown = board.timers.every(set.readingIntervalSeconds * 1000, measure);

  const calibrate = (state: CalibrationState): void => {
    status.calibration = state;
  };
  onDownlink = (port: number, hex: string): void => {
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
      calibrate("recalibrating");
      scd.recalibrate(v.referencePpm, (ok) =>
        calibrate(ok ? (set.autoCalibration ? "auto" : "fixed") : "recalibration_failed"),
      );
    } else {
      set.autoCalibration = v.command === "auto_calibration_on";
      scd.start(set.autoCalibration, (ok) => {
        if (!ok) status.sensorFault = true;
      });
      calibrate(set.autoCalibration ? "auto" : "fixed");
    }
    saveSettings(board.store, set);
    // Report the new configuration a little later (the RN2483 is still finishing this exchange).
    board.timers.after(5000, sendStatus);
  };

  // The button only shows the current level: no reading, no batch entry, no counter, no uplink.
  board.button.onPress(showSignal);
  showSignal();
  advertise();
}

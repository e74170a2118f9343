// Builds the SenML pack the gateway publishes for each accepted frame: one definition per device
// profile (band, classroom) of record names and units, used by the gateway, Node-RED and docs.
import type { BandReport } from "./band-advert.js";
import type { ClassroomReport } from "./classroom-advert.js";
import type { ClassroomPower, ClassroomStatus, ClimateReading } from "./classroom-reading.js";
import { localDayIso, localDayStart } from "./local-time.js";
import type { ClassroomUplink } from "./lora-uplink.js";
import { pseudonymBaseName } from "./pseudonym.js";
import {
  SENML_VERSION_SECONDARY_UNITS,
  type ExtValue,
  type SenmlPack,
  type SenmlRecord,
} from "./senml.js";
import type { EnvelopeKind } from "./topics.js";

/** Gateway metadata about one received frame. */
export interface ReceiveMeta {
  gatewayId: string;
  /** Unix seconds with millisecond fraction. */
  receivedAt: number;
  source: "ble" | "lora" | "sim";
  messageId: string;
  /** Frame counter (BLE) or FCntUp (LoRa). */
  counter: number;
  rssi?: number;
  snr?: number;
}

/** Record names and units per device profile: the one place consumers look them up. */
export const PROFILE = {
  band: {
    steps: { name: "steps", unit: "count" },
    battery: { name: "battery", unit: "V" },
    flags: ["goalReached", "lowBattery", "clockNotSet", "storageFault", "sensorFault"],
  },
  classroom: {
    co2: { name: "co2", unit: "ppm" },
    temperature: { name: "temperature", unit: "Cel" },
    humidity: { name: "humidity", unit: "%RH" },
    battery: { name: "battery", unit: "%EL" },
  },
} as const;

export interface Envelope {
  kind: EnvelopeKind;
  pseudonym: string;
  pack: SenmlPack;
}

function baseRecord(pseudonym: string, meta: ReceiveMeta, bt: number): SenmlRecord {
  const ext: Record<string, ExtValue> = {
    gw: meta.gatewayId,
    rt: Math.round(meta.receivedAt * 1000) / 1000,
    mid: meta.messageId,
    src: meta.source,
    ctr: meta.counter,
  };
  if (meta.rssi !== undefined) ext.rssi = meta.rssi;
  if (meta.snr !== undefined) ext.snr = meta.snr;
  return { bn: pseudonymBaseName(pseudonym), bt: bt, ext: ext };
}

function merge(base: SenmlRecord, r: SenmlRecord): SenmlRecord {
  const ext = Object.assign({}, base.ext ?? {}, r.ext ?? {});
  return Object.assign({}, base, r, { ext: ext });
}

function flagRecords(flags: Record<string, boolean>, names: readonly string[]): SenmlRecord[] {
  return names.map((n) => ({ n: n, vb: flags[n] === true }));
}

export function bandEnvelope(report: BandReport, pseudonym: string, meta: ReceiveMeta): Envelope {
  const bt = Math.floor(meta.receivedAt);
  const p = PROFILE.band;
  const records: SenmlRecord[] = [];
  records.push(
    merge(baseRecord(pseudonym, meta, bt), {
      n: p.steps.name,
      u: p.steps.unit,
      v: report.steps,
      t: localDayStart(report.day) - bt,
      ext: { day: localDayIso(report.day) },
    }),
  );
  if (report.backlog) {
    const d = report.day - report.backlog.daysAgo;
    records.push({
      n: p.steps.name,
      u: p.steps.unit,
      v: report.backlog.steps,
      t: localDayStart(d) - bt,
      ext: { day: localDayIso(d), final: true },
    });
  }
  if (report.batteryMv !== null)
    records.push({ n: p.battery.name, u: p.battery.unit, v: report.batteryMv / 1000 });
  const flags = report.flags as unknown as Record<string, boolean>;
  return {
    kind: "band_report",
    pseudonym: pseudonym,
    pack: records.concat(flagRecords(flags, p.flags)),
  };
}

function readingRecords(
  r: ClimateReading,
  t: number | undefined,
  extra?: Record<string, ExtValue>,
): SenmlRecord[] {
  const c = PROFILE.classroom;
  const co2: SenmlRecord = { n: c.co2.name, u: c.co2.unit, v: r.co2Ppm };
  const temp: SenmlRecord = {
    n: c.temperature.name,
    u: c.temperature.unit,
    v: r.temperatureDeci / 10,
  };
  const hum: SenmlRecord = { n: c.humidity.name, u: c.humidity.unit, v: r.humidityHalfPercent / 2 };
  if (t !== undefined && t !== 0) {
    co2.t = t;
    temp.t = t;
    hum.t = t;
  }
  if (extra) co2.ext = extra;
  return [co2, temp, hum];
}

function stateRecords(status: ClassroomStatus, power: ClassroomPower): SenmlRecord[] {
  const out: SenmlRecord[] = [
    { n: "signal", vs: status.signal },
    { n: "calibration", vs: status.calibration },
    { n: "sensorFault", vb: status.sensorFault },
    { n: "clockNotSet", vb: status.clockNotSet },
    { n: "restarted", vb: status.restarted },
    { n: "systemFault", vb: status.systemFault === true },
    { n: "mains", vb: power.external },
  ];
  if (power.batteryPercent !== null)
    out.push({
      n: PROFILE.classroom.battery.name,
      u: PROFILE.classroom.battery.unit,
      v: power.batteryPercent,
    });
  return out;
}

function pack(
  pseudonym: string,
  meta: ReceiveMeta,
  bt: number,
  records: SenmlRecord[],
  kind: EnvelopeKind,
): Envelope {
  const base = baseRecord(pseudonym, meta, bt);
  const usesPpm = records.some((r) => r.u === "ppm");
  if (usesPpm) base.bver = SENML_VERSION_SECONDARY_UNITS;
  const first = merge(base, records[0]!);
  return { kind: kind, pseudonym: pseudonym, pack: [first].concat(records.slice(1)) };
}

export function classroomAdvertEnvelope(
  c: ClassroomReport,
  pseudonym: string,
  meta: ReceiveMeta,
): Envelope {
  const bt = Math.floor(meta.receivedAt);
  const records = (c.reading ? readingRecords(c.reading, undefined) : []).concat(
    stateRecords(c.status, c.power),
  );
  return pack(pseudonym, meta, bt, records, "classroom_reading");
}

export function classroomUplinkEnvelope(
  u: ClassroomUplink,
  pseudonym: string,
  meta: ReceiveMeta,
): Envelope {
  const bt = Math.floor(meta.receivedAt);
  if (u.kind === "reading") {
    const records = readingRecords(u.reading, undefined, { seq: u.seq }).concat(
      stateRecords(u.status, u.power),
    );
    return pack(pseudonym, meta, bt, records, "classroom_reading");
  }
  if (u.kind === "batch") {
    let records: SenmlRecord[] = [];
    const n = u.readings.length;
    for (let i = 0; i < n; i++) {
      const t = -(u.ageSeconds + (n - 1 - i) * u.intervalSeconds);
      records = records.concat(readingRecords(u.readings[i]!, t, { seq: (u.seq + i) & 0xffff }));
    }
    return pack(
      pseudonym,
      meta,
      bt,
      records.concat(stateRecords(u.status, u.power)),
      "classroom_reading",
    );
  }
  const records: SenmlRecord[] = [
    { n: "firmware", vs: u.firmware },
    { n: "readingInterval", u: "s", v: u.readingIntervalSeconds },
    { n: "uplinkInterval", u: "s", v: u.uplinkIntervalMinutes * 60 },
    { n: "orangeThreshold", u: "ppm", v: u.thresholds.orangePpm },
    { n: "redThreshold", u: "ppm", v: u.thresholds.redPpm },
    { n: "hysteresis", u: "ppm", v: u.thresholds.hysteresisPpm },
    { n: "boots", v: u.boots },
  ];
  return pack(
    pseudonym,
    meta,
    bt,
    records.concat(stateRecords(u.status, u.power)),
    "classroom_status",
  );
}

/** MQTT 5 user properties that carry the same gateway metadata as the SenML extension fields. */
export function envelopeUserProperties(meta: ReceiveMeta, schema: string): Record<string, string> {
  const p: Record<string, string> = {
    schema: schema,
    gateway: meta.gatewayId,
    mid: meta.messageId,
    rt: String(Math.round(meta.receivedAt * 1000) / 1000),
    src: meta.source,
  };
  if (meta.rssi !== undefined) p.rssi = String(meta.rssi);
  if (meta.snr !== undefined) p.snr = String(meta.snr);
  return p;
}

// Reading envelopes on the consumer side (Node-RED, back ends, tests): CBOR -> SenML -> resolved
// records -> a typed view per device profile. Never throws.
import { decodePack } from "./envelope-cbor.js";
import { PROFILE } from "./envelope.js";
import { accept, reject, type Result } from "./result.js";
import {
  bandEnvelopeReadSchema,
  classroomEnvelopeReadSchema,
  senmlPackSchema,
  type BandEnvelopeRead,
  type ClassroomEnvelopeRead,
} from "./schemas.js";
import { resolvePack, type ResolvedRecord, type SenmlPack } from "./senml.js";

export interface DecodedEnvelope {
  pack: SenmlPack;
  records: ResolvedRecord[];
}

export function decodeEnvelope(bytes: Uint8Array, now: number): Result<DecodedEnvelope> {
  const p = decodePack(bytes);
  if (!p.ok) return p;
  const checked = senmlPackSchema.safeParse(p.value);
  if (!checked.success)
    return reject("bad_encoding", "SenML pack: " + checked.error.issues[0]!.message);
  const records = resolvePack(p.value, now);
  if (typeof records === "string") return reject("bad_encoding", records);
  return accept({ pack: p.value, records: records });
}

const URN_RE = /^urn:uuid:([0-9a-f-]{36}):(.+)$/;

function splitName(name: string): { pseudonym: string; field: string } | null {
  const m = URN_RE.exec(name);
  return m ? { pseudonym: m[1]!, field: m[2]! } : null;
}

function common(
  records: ResolvedRecord[],
): Result<{ pseudonym: string; messageId: string; gatewayId: string; receivedAt: number }> {
  const first = records[0];
  if (!first) return reject("bad_encoding", "empty pack");
  const s = splitName(first.name);
  if (!s) return reject("bad_encoding", "base name is not a pseudonym URN: " + first.name);
  for (const r of records) {
    const o = splitName(r.name);
    if (!o || o.pseudonym !== s.pseudonym)
      return reject("bad_encoding", "records of more than one device in one envelope");
  }
  const e = first.ext;
  if (typeof e.mid !== "string" || typeof e.gw !== "string" || typeof e.rt !== "number") {
    return reject("bad_encoding", "gateway metadata (mid, gw, rt) missing from the first record");
  }
  return accept({ pseudonym: s.pseudonym, messageId: e.mid, gatewayId: e.gw, receivedAt: e.rt });
}

export function readBandEnvelope(records: ResolvedRecord[]): Result<BandEnvelopeRead> {
  const c = common(records);
  if (!c.ok) return c;
  const days: BandEnvelopeRead["days"] = [];
  let battery: number | null = null;
  const flags: Record<string, boolean> = {};
  for (const name of PROFILE.band.flags) flags[name] = false;
  for (const r of records) {
    const field = splitName(r.name)!.field;
    if (field === PROFILE.band.steps.name) {
      if (
        r.unit !== PROFILE.band.steps.unit ||
        r.value === undefined ||
        typeof r.ext.day !== "string"
      ) {
        return reject("bad_encoding", "steps record needs unit count, a value and a day");
      }
      days.push({ date: r.ext.day, steps: r.value, final: r.ext.final === true });
    } else if (field === PROFILE.band.battery.name && r.value !== undefined) {
      battery = r.value;
    } else if (
      (PROFILE.band.flags as readonly string[]).indexOf(field) >= 0 &&
      r.boolValue !== undefined
    ) {
      flags[field] = r.boolValue;
    }
  }
  const out = bandEnvelopeReadSchema.safeParse(
    Object.assign({}, c.value, { days: days, batteryVolts: battery, flags: flags }),
  );
  if (!out.success)
    return reject(
      "out_of_range",
      "band envelope: " + out.error.issues[0]!.path.join(".") + ": " + out.error.issues[0]!.message,
    );
  return accept(out.data);
}

export function readClassroomEnvelope(records: ResolvedRecord[]): Result<ClassroomEnvelopeRead> {
  const c = common(records);
  if (!c.ok) return c;
  const byTime = new Map<
    number,
    { time: number; co2Ppm: number | null; temperature: number | null; humidity: number | null }
  >();
  const slot = (t: number) => {
    let s = byTime.get(t);
    if (!s) {
      s = { time: t, co2Ppm: null, temperature: null, humidity: null };
      byTime.set(t, s);
    }
    return s;
  };
  const out: Record<string, unknown> = {
    signal: null,
    calibration: null,
    sensorFault: false,
    batteryPercent: null,
    mains: null,
  };
  const P = PROFILE.classroom;
  for (const r of records) {
    const field = splitName(r.name)!.field;
    if (field === P.co2.name && r.value !== undefined) slot(r.time).co2Ppm = r.value;
    else if (field === P.temperature.name && r.value !== undefined)
      slot(r.time).temperature = r.value;
    else if (field === P.humidity.name && r.value !== undefined) slot(r.time).humidity = r.value;
    else if (field === "signal") out.signal = r.stringValue ?? null;
    else if (field === "calibration") out.calibration = r.stringValue ?? null;
    else if (field === "sensorFault") out.sensorFault = r.boolValue === true;
    else if (field === P.battery.name) out.batteryPercent = r.value ?? null;
    else if (field === "mains") out.mains = r.boolValue ?? null;
  }
  const readings = Array.from(byTime.values()).sort((a, b) => a.time - b.time);
  const parsed = classroomEnvelopeReadSchema.safeParse(
    Object.assign({}, c.value, out, { readings: readings }),
  );
  if (!parsed.success)
    return reject(
      "out_of_range",
      "classroom envelope: " +
        parsed.error.issues[0]!.path.join(".") +
        ": " +
        parsed.error.issues[0]!.message,
    );
  return accept(parsed.data);
}

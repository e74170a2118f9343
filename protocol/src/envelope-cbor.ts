// SenML packs <-> CBOR bytes with cbor-x, configured for plain RFC 8949 output: no record
// extension, no custom tags, shortest map headers, float64 for non-integer numbers.
import { Decoder, Encoder } from "cbor-x";
import {
  LABEL_ORDER as ORDER,
  LABELS,
  type ExtValue,
  type LabelName,
  type SenmlPack,
  type SenmlRecord,
} from "./senml.js";
import { accept, reject, type Result } from "./result.js";

const encoder = new Encoder({
  useRecords: false,
  mapsAsObjects: false,
  variableMapSize: true,
  tagUint8Array: false,
  useFloat32: 0,
  pack: false,
  structuredClone: false,
  bundleStrings: false,
});

const decoder = new Decoder({
  useRecords: false,
  mapsAsObjects: false,
  structuredClone: false,
  bundleStrings: false,
});

const BY_NUMBER: Record<string, LabelName> = {};
for (const k of ORDER) BY_NUMBER[String(LABELS[k])] = k;

function toMap(r: SenmlRecord): Map<number | string, unknown> {
  const m = new Map<number | string, unknown>();
  for (const k of ORDER) {
    const v = r[k];
    if (v !== undefined) m.set(LABELS[k], v);
  }
  if (r.ext) for (const k of Object.keys(r.ext)) m.set(k, r.ext[k]);
  return m;
}

export function encodePack(pack: SenmlPack): Uint8Array {
  const bytes = encoder.encode(pack.map(toMap));
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const NUMERIC: LabelName[] = ["bver", "bt", "bv", "bs", "v", "s", "t", "ut"];
const STRING: LabelName[] = ["bn", "bu", "n", "u", "vs"];

function fromMap(m: unknown, i: number): SenmlRecord | string {
  if (!(m instanceof Map)) return "record " + i + " is not a CBOR map";
  const r: SenmlRecord = {};
  const ext: Record<string, ExtValue> = {};
  let hasExt = false;
  for (const [key, value] of m) {
    if (typeof key === "number") {
      const name = BY_NUMBER[String(key)];
      if (!name) return "record " + i + ": unknown SenML label " + key;
      if (NUMERIC.indexOf(name) >= 0) {
        if (typeof value !== "number" || !Number.isFinite(value))
          return "record " + i + ": " + name + " must be a number";
        (r as Record<string, unknown>)[name] = value;
      } else if (STRING.indexOf(name) >= 0) {
        if (typeof value !== "string")
          return "record " + i + ": " + name + " must be a text string";
        (r as Record<string, unknown>)[name] = value;
      } else if (name === "vb") {
        if (typeof value !== "boolean") return "record " + i + ": vb must be a boolean";
        r.vb = value;
      } else if (name === "vd") {
        if (!(value instanceof Uint8Array)) return "record " + i + ": vd must be a byte string";
        r.vd = value;
      }
    } else if (typeof key === "string") {
      if (key.endsWith("_"))
        return "record " + i + ": field " + key + " must be understood and this reader does not";
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
        return "record " + i + ": extension " + key + " must be a string, number or boolean";
      }
      ext[key] = value;
      hasExt = true;
    } else {
      return "record " + i + ": labels must be integers or text";
    }
  }
  if (hasExt) r.ext = ext;
  return r;
}

/** Decodes SenML-CBOR bytes into a pack. Never throws. */
export function decodePack(bytes: Uint8Array): Result<SenmlPack> {
  let raw: unknown;
  try {
    raw = decoder.decode(bytes);
  } catch (e) {
    return reject("bad_encoding", "not CBOR: " + (e as Error).message);
  }
  if (!Array.isArray(raw)) return reject("bad_encoding", "a SenML pack must be a CBOR array");
  if (raw.length === 0) return reject("bad_encoding", "empty SenML pack");
  const pack: SenmlPack = [];
  for (let i = 0; i < raw.length; i++) {
    const r = fromMap(raw[i], i);
    if (typeof r === "string") return reject("bad_encoding", r);
    pack.push(r);
  }
  return accept(pack);
}

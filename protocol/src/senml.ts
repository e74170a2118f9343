// SenML (RFC 8428) records with RFC 9100 secondary units, in CBOR form with integer labels.
// Pure: no CBOR here, see envelope-cbor.ts. Extension fields (gateway metadata) use text labels a
// plain SenML reader ignores; none ends in "_" (that would make them mandatory to understand).

export const LABELS = {
  bver: -1,
  bn: -2,
  bt: -3,
  bu: -4,
  bv: -5,
  bs: -6,
  n: 0,
  u: 1,
  v: 2,
  vs: 3,
  vb: 4,
  s: 5,
  t: 6,
  ut: 7,
  vd: 8,
} as const;
export type LabelName = keyof typeof LABELS;

/** The order in which fields are written: base fields, then regular fields (RFC 8428 table order). */
export const LABEL_ORDER: readonly LabelName[] = [
  "bver",
  "bn",
  "bt",
  "bu",
  "bv",
  "bs",
  "n",
  "u",
  "v",
  "vs",
  "vb",
  "s",
  "t",
  "ut",
  "vd",
];

/** RFC 8428 base version 10, plus feature bit 4 (secondary units, RFC 9100) = 26. */
export const SENML_VERSION = 10;
export const SENML_VERSION_SECONDARY_UNITS = 26;

export type ExtValue = string | number | boolean;

export interface SenmlRecord {
  bver?: number;
  bn?: string;
  bt?: number;
  bu?: string;
  bv?: number;
  bs?: number;
  n?: string;
  u?: string;
  v?: number;
  vs?: string;
  vb?: boolean;
  vd?: Uint8Array;
  s?: number;
  t?: number;
  ut?: number;
  /** Extension fields, text-labelled in CBOR. */
  ext?: Record<string, ExtValue>;
}
export type SenmlPack = SenmlRecord[];

/** A record after RFC 8428 section 4.6 resolution: base values applied, absolute time. */
export interface ResolvedRecord {
  name: string;
  unit?: string;
  value?: number;
  stringValue?: string;
  boolValue?: boolean;
  sum?: number;
  time: number;
  ext: Record<string, ExtValue>;
}

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9:./_-]*$/;

/** Resolves a pack. Returns an error string for packs RFC 8428 calls invalid. */
export function resolvePack(pack: SenmlPack, now: number): ResolvedRecord[] | string {
  const out: ResolvedRecord[] = [];
  let bn = "";
  let bt = 0;
  let bu: string | undefined;
  let bv = 0;
  let bs = 0;
  let bver: number | undefined;
  for (let i = 0; i < pack.length; i++) {
    const r = pack[i]!;
    if (r.bver !== undefined) {
      if (bver !== undefined && r.bver !== bver)
        return "record " + i + ": bver differs from an earlier record";
      bver = r.bver;
    }
    if (r.bn !== undefined) bn = r.bn;
    if (r.bt !== undefined) bt = r.bt;
    if (r.bu !== undefined) bu = r.bu;
    if (r.bv !== undefined) bv = r.bv;
    if (r.bs !== undefined) bs = r.bs;
    const name = bn + (r.n ?? "");
    if (!NAME_RE.test(name))
      return "record " + i + ": name " + JSON.stringify(name) + " is not a valid SenML name";
    const kinds =
      (r.v !== undefined ? 1 : 0) +
      (r.vs !== undefined ? 1 : 0) +
      (r.vb !== undefined ? 1 : 0) +
      (r.vd !== undefined ? 1 : 0);
    if (kinds > 1) return "record " + i + ": more than one value field";
    if (kinds === 0 && r.s === undefined) return "record " + i + ": no value and no sum";
    let time = bt + (r.t ?? 0);
    if (time < 268435456) time = now + time; // RFC 8428: values below 2^28 are relative to now
    const rec: ResolvedRecord = { name: name, time: time, ext: r.ext ?? {} };
    const unit = r.u ?? bu;
    if (unit !== undefined) rec.unit = unit;
    if (r.v !== undefined) rec.value = bv + r.v;
    if (r.vs !== undefined) rec.stringValue = r.vs;
    if (r.vb !== undefined) rec.boolValue = r.vb;
    if (r.s !== undefined) rec.sum = bs + r.s;
    out.push(rec);
  }
  if (bver !== undefined && bver !== SENML_VERSION && bver !== SENML_VERSION_SECONDARY_UNITS) {
    return "bver " + bver + " is not supported (10 or 26)";
  }
  // RFC 9100: a pack at bver 10 may not use secondary units; normalise CO2 given as "/" ratio to ppm.
  for (const rec of out) {
    if (rec.unit === "/" && rec.value !== undefined && /:co2$/.test(rec.name)) {
      rec.unit = "ppm";
      rec.value = Math.round(rec.value * 1e6 * 1000) / 1000;
    } else if (rec.unit === "ppm" && bver !== SENML_VERSION_SECONDARY_UNITS) {
      return "unit ppm is a secondary unit (RFC 9100) and needs bver 26";
    }
  }
  return out;
}

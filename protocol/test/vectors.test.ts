// Every committed vector: decodes to the expected value, re-encodes to the same bytes, verifies
// with its key, and its envelope bytes decode identically with a second, strict CBOR decoder.
import { decode as cborgDecode } from "cborg";
import { describe, expect, it } from "vitest";
import {
  cmacKey,
  decodeTimeBeacon,
  deriveDeviceKey,
  derivePseudonymKey,
  deriveTimeKey,
  pseudonymOf,
  decodeAdvert,
  decodeDownlink,
  decodeEnvelope,
  decodeUplink,
  deviceKeys,
  encodeDownlink,
  encodePack,
  encodeUplink,
  epochIdentity,
  fromHex,
  nodeAes128,
  openAdvert,
  toHex,
  type ClassroomDownlink,
  type ClassroomUplink,
  type SenmlPack,
} from "@leiden-iot/protocol";
import band from "../vectors/band-advert.json" with { type: "json" };
import classroom from "../vectors/classroom-advert.json" with { type: "json" };
import uplinks from "../vectors/lora-uplink.json" with { type: "json" };
import downlinks from "../vectors/lora-downlink.json" with { type: "json" };
import beacons from "../vectors/time-beacon.json" with { type: "json" };
import { VECTOR_FILES } from "../scripts/vectors-spec.js";
import { decodePack } from "../src/envelope-cbor.js";

const bytes = (hex: string) => fromHex(hex)!;
const LABELS: Record<string, number> = {
  bver: -1,
  bn: -2,
  bt: -3,
  bu: -4,
  bv: -5,
  n: 0,
  u: 1,
  v: 2,
  vs: 3,
  vb: 4,
  s: 5,
  t: 6,
  ut: 7,
};

/** The expected pack as cborg returns it: Maps with integer labels and text extension labels. */
function asCborMaps(pack: SenmlPack): Map<number | string, unknown>[] {
  return pack.map((r) => {
    const m = new Map<number | string, unknown>();
    for (const [k, v] of Object.entries(r)) if (k !== "ext") m.set(LABELS[k]!, v);
    for (const [k, v] of Object.entries(r.ext ?? {})) m.set(k, v);
    return m;
  });
}

function checkEnvelope(e: { senml: unknown; cbor: string; meta: { receivedAt: number } }) {
  const pack = e.senml as SenmlPack;
  expect(toHex(encodePack(pack))).toBe(e.cbor);
  const strict = cborgDecode(bytes(e.cbor), {
    strict: true,
    useMaps: true,
    rejectDuplicateMapKeys: true,
  });
  expect(strict).toEqual(asCborMaps(pack));
  const ours = decodePack(bytes(e.cbor));
  expect(ours.ok && ours.value).toEqual(pack);
  const resolved = decodeEnvelope(bytes(e.cbor), e.meta.receivedAt);
  expect(resolved.ok).toBe(true);
}

describe("vector files are current", () => {
  it.each(Object.entries(VECTOR_FILES))("%s matches the encoder", (file, make) => {
    const committed = {
      "band-advert.json": band,
      "classroom-advert.json": classroom,
      "lora-uplink.json": uplinks,
      "lora-downlink.json": downlinks,
      "time-beacon.json": beacons,
    }[file];
    expect(JSON.parse(JSON.stringify(make()))).toEqual(committed);
  });
});

describe.each([
  ["band adverts", band],
  ["classroom adverts", classroom],
])("%s", (_, file) => {
  it.each(file.valid.map((v) => [v.name, v] as const))("valid: %s", (_n, v) => {
    const mac = cmacKey(nodeAes128, deviceKeys(nodeAes128, bytes(v.deviceKey)).mac);
    const opened = openAdvert(bytes(v.hex), mac);
    expect(opened).toEqual({ ok: true, value: v.decoded });
    const id = epochIdentity(nodeAes128, deviceKeys(nodeAes128, bytes(v.deviceKey)).eid, v.epoch);
    expect(toHex(id.eid)).toBe(v.decoded.eid);
    expect(id.address).toBe(v.address);
    checkEnvelope(v.envelope);
  });
  it.each(file.invalid.map((v) => [v.name, v] as const))("invalid: %s", (_n, v) => {
    const key = file.valid[0]!.deviceKey;
    const mac = cmacKey(nodeAes128, deviceKeys(nodeAes128, bytes(key)).mac);
    const r = openAdvert(bytes(v.hex), mac);
    expect(r.ok ? "accepted" : r.reason).toBe(v.reason);
    if (v.reason !== "bad_mac") expect(decodeAdvert(bytes(v.hex)).ok).toBe(false);
  });
});

describe("LoRaWAN uplinks", () => {
  it.each(uplinks.valid.map((v) => [v.name, v] as const))("valid: %s", (_n, v) => {
    expect(decodeUplink(v.fPort, bytes(v.hex))).toEqual({ ok: true, value: v.decoded });
    const enc = encodeUplink(v.decoded as ClassroomUplink);
    expect([enc.fPort, toHex(enc.bytes)]).toEqual([v.fPort, v.hex]);
    checkEnvelope(v.envelope);
  });
  it("keeps a single reading within 12 bytes", () => {
    for (const v of uplinks.valid.filter((x) => x.fPort === 1))
      expect(v.bytes).toBeLessThanOrEqual(12);
  });
  it.each(uplinks.invalid.map((v) => [v.name, v] as const))("invalid: %s", (_n, v) => {
    const r = decodeUplink(v.fPort, bytes(v.hex));
    expect(r.ok ? "accepted" : r.reason).toBe(v.reason);
  });
});

describe("LoRaWAN downlinks", () => {
  it.each(downlinks.valid.map((v) => [v.name, v] as const))("valid: %s", (_n, v) => {
    expect(decodeDownlink(v.fPort, bytes(v.hex))).toEqual({ ok: true, value: v.decoded });
    const enc = encodeDownlink(v.decoded as ClassroomDownlink);
    expect(enc.ok && [enc.value.fPort, toHex(enc.value.bytes)]).toEqual([v.fPort, v.hex]);
  });
  it.each(downlinks.invalid.map((v) => [v.name, v] as const))("invalid: %s", (_n, v) => {
    const r = decodeDownlink(v.fPort, bytes(v.hex));
    expect(r.ok ? "accepted" : r.reason).toBe(v.reason);
  });
});

describe("time beacons", () => {
  const timeKey = cmacKey(nodeAes128, deriveTimeKey(nodeAes128, bytes(beacons.masterKey)));
  it.each(beacons.valid.map((v) => [v.name, v] as const))("valid: %s", (_n, v) => {
    expect(decodeTimeBeacon(bytes(v.hex), timeKey)).toEqual({ ok: true, value: v.unixSeconds });
  });
  it.each(beacons.invalid.map((v) => [v.name, v] as const))("invalid: %s", (_n, v) => {
    const r = decodeTimeBeacon(bytes(v.hex), timeKey);
    expect(r.ok ? "accepted" : r.reason).toBe(v.reason);
  });
});

describe("key hierarchy", () => {
  it("derives each vector's device key and pseudonym from the master key", () => {
    const master = bytes(band.masterKey);
    const psnKey = derivePseudonymKey(nodeAes128, master, band.pseudonymScope);
    for (const v of [...band.valid, ...classroom.valid]) {
      expect(toHex(deriveDeviceKey(nodeAes128, master, v.deviceId))).toBe(v.deviceKey);
      expect(pseudonymOf(nodeAes128, psnKey, v.deviceId)).toBe(v.envelope.pseudonym);
    }
  });
  it("gives unrelated ids per epoch and per device, and a new scope gives new pseudonyms", () => {
    const master = bytes(band.masterKey);
    const eids = new Set<string>();
    for (let dev = 1; dev <= 50; dev++) {
      const k = deviceKeys(nodeAes128, deriveDeviceKey(nodeAes128, master, dev));
      for (let e = 0; e < 20; e++) {
        const id = epochIdentity(nodeAes128, k.eid, 2_000_000 + e);
        eids.add(toHex(id.eid));
        expect(parseInt(id.address.slice(0, 2), 16) & 0xc0).toBe(0xc0);
      }
    }
    expect(eids.size).toBe(1000);
    const a = pseudonymOf(nodeAes128, derivePseudonymKey(nodeAes128, master, "pilot-2027"), 7);
    const b = pseudonymOf(nodeAes128, derivePseudonymKey(nodeAes128, master, "pilot-2028"), 7);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

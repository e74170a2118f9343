// Property-based: random and mutated Semtech datagrams, rxpk objects, PHYPayloads and LNS JSON.
// Every pure LoRa parser returns a typed value or a rejection with a known reason; none throws.
// 130k cases in total.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FcntState } from "../../src/lorawan/fcnt-store.js";
import { openDataUplink } from "../../src/lorawan/uplink.js";
import { parseLnsUplink } from "../../src/sources/lns-mqtt/uplink.js";
import { parseDatagram } from "../../src/sources/semtech-udp/datagram.js";
import { parseRxpk } from "../../src/sources/semtech-udp/rxpk.js";
import {
  bytes,
  CHIRPSTACK_TOPIC,
  chirpstackUplink,
  TTS_TOPIC,
  ttsUplink,
} from "./support/lns-fixtures.js";
import {
  buildJoinRequest,
  buildUplink,
  newSession,
  uplinkVectors,
} from "./support/lorawan-devices.js";
import { pushData, rxpk } from "./support/packet-forwarder.js";

const DATAGRAM_REASONS = [
  "too_short",
  "unknown_version",
  "unknown_identifier",
  "server_message",
  "bad_json",
  "bad_schema",
];
const RXPK_REASONS = ["bad_rxpk", "crc_failed", "no_crc", "bad_base64", "size_mismatch"];
const UPLINK_REASONS = [
  "not_lorawan",
  "join_not_supported",
  "not_data_uplink",
  "unknown_devaddr",
  "bad_mic",
  "replay",
  "fcnt_gap",
  "mac_only",
  "decrypt_failed",
];
const LNS_REASONS = [
  "too_large",
  "not_uplink",
  "bad_json",
  "bad_schema",
  "no_payload",
  "bad_base64",
];

function expectRejection(r: { ok: false; reason: string; detail: string }, reasons: string[]) {
  expect(reasons).toContain(r.reason);
  expect(typeof r.detail).toBe("string");
  expect(r.detail.length).toBeGreaterThan(0);
}

type Edit = [position: number, byte: number, op: "set" | "del" | "ins" | "cut"];
const edits = fc.array(
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom("set", "del", "ins", "cut")),
  { minLength: 1, maxLength: 4 },
) as fc.Arbitrary<Edit[]>;

function mutate(src: Uint8Array, es: Edit[]): Uint8Array {
  const a = [...src];
  for (const [pos, byte, op] of es) {
    const i = a.length === 0 ? 0 : pos % (a.length + (op === "ins" ? 1 : 0));
    if (op === "set" && a.length > 0) a[i] = byte;
    else if (op === "del") a.splice(i, 1);
    else if (op === "ins") a.splice(i, 0, byte);
    else if (op === "cut") a.length = i;
  }
  return new Uint8Array(a);
}

// A realistic PUSH_DATA with one uplink per protocol vector.
const device = newSession("26011f00");
const EUI = "b827ebfffe6a1c01";
const phys = uplinkVectors.map((v, i) =>
  buildUplink(device, { fCnt: 100 + i, fPort: v.fPort, payload: v.hex }),
);
const validDatagram = pushData(EUI, 0x1234, {
  rxpk: phys.map((p) => rxpk(p, { time: "2025-11-20T08:30:01.176482Z" })),
  stat: { time: "2025-11-20 08:30:00 GMT", rxnb: 2, rxok: 2, rxfw: 2, ackr: 100, dwnb: 0, txnb: 0 },
});
const ctx = {
  sessions: { sessionsForDevAddr: (a: string) => (a === device.devAddr ? [device] : []) },
  lastFcnt: (): FcntState | undefined => ({ fCnt: 101, mic: "00000000" }),
};

describe("semtech-udp datagram parser", () => {
  it("never throws on random bytes (30k)", () => {
    const header = fc.tuple(
      fc.constantFrom(1, 2, 3, 0),
      fc.nat(0xffff),
      fc.integer({ min: 0, max: 7 }),
    );
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 300 }), ([v, t, id], rest) => {
        const d = new Uint8Array([v, t >> 8, t & 0xff, id, ...rest]);
        const r = parseDatagram(d);
        if (r.ok) {
          expect(r.value.gatewayEui).toMatch(/^[0-9a-f]{16}$/);
          expect(r.value.token).toBe(t);
        } else expectRejection(r, DATAGRAM_REASONS);
      }),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (d) => {
        const r = parseDatagram(d);
        if (!r.ok) expectRejection(r, DATAGRAM_REASONS);
      }),
      { numRuns: 10_000 },
    );
  });

  it("never throws on mutated PUSH_DATA, and every rxpk of an accepted one parses to a verdict (20k)", () => {
    fc.assert(
      fc.property(edits, (es) => {
        const r = parseDatagram(mutate(validDatagram, es));
        if (!r.ok) return expectRejection(r, DATAGRAM_REASONS);
        for (const [i, raw] of (r.value.kind === "push_data" ? r.value.rxpk : []).entries()) {
          const p = parseRxpk(raw, i, Date.now());
          if (!p.ok) expectRejection(p, RXPK_REASONS);
          else expect(p.value.frequency).toBeGreaterThan(0);
        }
      }),
      { numRuns: 20_000 },
    );
  });
});

describe("rxpk parser", () => {
  it("never throws on random JSON values and mutated rxpk objects (15k)", () => {
    const valid = rxpk(phys[0]!) as Record<string, unknown>;
    const keys = Object.keys(valid);
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = parseRxpk(v, 0, Date.now());
        if (!r.ok) expectRejection(r, RXPK_REASONS);
      }),
      { numRuns: 5_000 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...keys), fc.option(fc.jsonValue())), { maxLength: 3 }),
        (changes) => {
          const m: Record<string, unknown> = { ...valid };
          for (const [k, v] of changes)
            if (v === null) delete m[k];
            else m[k] = v;
          const r = parseRxpk(m, 0, Date.now());
          if (!r.ok) return expectRejection(r, RXPK_REASONS);
          // Accepted: the bytes are exactly the base64 data, the declared size (if any) holds and
          // no CRC-failed or CRC-less packet got through.
          expect(Buffer.from(r.value.phyPayload)).toEqual(Buffer.from(String(m.data), "base64"));
          if (m.size !== undefined) expect(r.value.phyPayload.length).toBe(m.size);
          expect(m.stat === -1 || m.stat === 0).toBe(false);
        },
      ),
      { numRuns: 10_000 },
    );
  });
});

describe("LoRaWAN data uplink opener", () => {
  it("never throws on random and mutated PHYPayloads (20k)", () => {
    const sources = [...phys, buildJoinRequest()];
    fc.assert(
      fc.property(fc.constantFrom(...sources), edits, (phy, es) => {
        const r = openDataUplink(mutate(phy, es), ctx);
        if (r.ok) {
          expect(r.value.devEui).toBe(device.devEui);
          expect(r.value.fPort).toBeGreaterThan(0);
        } else expectRejection(r, UPLINK_REASONS);
      }),
      { numRuns: 15_000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (phy) => {
        const r = openDataUplink(phy, ctx);
        if (!r.ok) expectRejection(r, UPLINK_REASONS);
      }),
      { numRuns: 5_000 },
    );
  });

  it("a single flipped bit anywhere in an authentic frame is never accepted (5k)", () => {
    const phy = phys[0]!;
    const fresh = { ...ctx, lastFcnt: () => undefined };
    expect(openDataUplink(phy, fresh).ok).toBe(true);
    fc.assert(
      fc.property(fc.nat(phy.length * 8 - 1), (bit) => {
        const m = new Uint8Array(phy);
        m[bit >> 3]! ^= 1 << (bit & 7);
        expect(openDataUplink(m, fresh).ok).toBe(false);
      }),
      { numRuns: 5_000 },
    );
  });
});

/** Every path of a JSON value ("a.b.0.c"), to mutate fixtures where it hurts. */
function paths(v: unknown, prefix: string[] = []): string[][] {
  if (typeof v !== "object" || v === null) return [prefix];
  const out: string[][] = prefix.length ? [prefix] : [];
  for (const [k, c] of Object.entries(v)) out.push(...paths(c, [...prefix, k]));
  return out;
}

function mutateJson(base: Record<string, unknown>, changes: [string[], unknown][]): unknown {
  const m = structuredClone(base);
  for (const [path, value] of changes) {
    let o = m as Record<string, unknown>;
    for (const k of path.slice(0, -1)) {
      const next = o[k];
      if (typeof next !== "object" || next === null) break;
      o = next as Record<string, unknown>;
    }
    const last = path[path.length - 1]!;
    if (value === undefined) delete o[last];
    else o[last] = value;
  }
  return m;
}

describe("LNS uplink parser", () => {
  for (const [flavour, fixture, topic] of [
    ["ttn", ttsUplink, TTS_TOPIC],
    ["chirpstack", chirpstackUplink, CHIRPSTACK_TOPIC],
  ] as const) {
    it(`never throws on mutated ${flavour} uplinks (15k)`, () => {
      const base = fixture();
      const all = paths(base);
      const value = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.string(), fc.integer());
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.constantFrom(...all), value), { minLength: 1, maxLength: 3 }),
          (changes) => {
            const r = parseLnsUplink(flavour, topic, bytes(mutateJson(base, changes)), Date.now());
            if (r.ok) {
              expect(r.value.lora!.fPort).toBeGreaterThan(0);
              expect(r.value.lora!.fPort).toBeLessThan(256);
              expect(r.value.lora!.payload.length).toBeGreaterThan(0);
              expect(r.value.lora!.devEui).toMatch(/^[0-9a-f]{16}$/);
              expect(Number.isFinite(r.value.receivedAt)).toBe(true);
            } else expectRejection(r, LNS_REASONS);
          },
        ),
        { numRuns: 15_000 },
      );
    });
  }

  it("never throws on random bytes and random JSON (10k)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("ttn", "chirpstack"),
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.jsonValue().map((v) => bytes(v)),
        ),
        (flavour, msg) => {
          const topic = flavour === "ttn" ? TTS_TOPIC : CHIRPSTACK_TOPIC;
          const r = parseLnsUplink(flavour, topic, msg, Date.now());
          if (!r.ok) expectRejection(r, LNS_REASONS);
        },
      ),
      { numRuns: 10_000 },
    );
  });
});

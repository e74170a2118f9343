// >= 100k generated frames through the pure pipeline: garbage, truncated, bit-flipped and replayed
// frames are rejected with a specific reason (or are exact duplicates), never thrown.
import { fromHex } from "@leiden-iot/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import bandVectors from "../../../protocol/vectors/band-advert.json" with { type: "json" };
import type { RawFrame } from "../../src/sources/source.js";
import { checkCounter } from "../../src/pipeline/replay-window.js";
import { makePipeline } from "./support.js";

const REASONS = new Set([
  "truncated",
  "too_long",
  "unknown_type",
  "bad_version",
  "bad_mac",
  "reserved_bits",
  "out_of_range",
  "bad_encoding",
  "unknown_device",
  "replayed",
  "wrong_kind",
]);
const T = bandVectors.valid[0]!.envelope.meta.receivedAt;
const ble = (data: Uint8Array): RawFrame => ({
  source: "ble",
  channel: "ble",
  receivedAt: T,
  ble: { data },
});

describe("pipeline under generated garbage", () => {
  const { pipeline } = makePipeline();
  const valid = bandVectors.valid.map((v) => fromHex(v.hex)!);

  it("random manufacturer data (60k cases): rejected with a known reason, never a throw", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 40 }), (data) => {
        const out = pipeline.process(ble(data));
        expect(out.status).toBe("rejected");
        if (out.status === "rejected") expect(REASONS.has(out.reason)).toBe(true);
      }),
      { numRuns: 60_000 },
    );
  });

  it("mutated and truncated valid adverts (40k cases): never accepted unless unchanged", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: valid.length - 1 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.integer({ min: 0, max: 24 }),
        (which, flips, cut) => {
          const bytes = valid[which]!.slice();
          for (const [i, x] of flips) bytes[i] = bytes[i]! ^ x;
          const data = bytes.subarray(0, cut === 0 ? 24 : cut);
          const out = pipeline.process(ble(data));
          if (out.status === "rejected") expect(REASONS.has(out.reason)).toBe(true);
          else {
            // only an unchanged frame (flips that cancel out, no cut) may pass
            const unchanged = data.length === 24 && data.every((b, i) => b === valid[which]![i]);
            expect(unchanged).toBe(true);
          }
        },
      ),
      { numRuns: 40_000 },
    );
  });

  it("random LoRa uplinks (10k cases) and frames without payload: rejected, never thrown", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 80 }),
        (fPort, payload) => {
          const out = pipeline.process({
            source: "semtech-udp",
            channel: "lora",
            receivedAt: T,
            lora: { devEui: "70b3d57ed0000500", devAddr: "260b1234", fCnt: 1, fPort, payload },
          });
          // process() turns a throw into internal_error, so that reason is the crash detector
          if (out.status === "rejected") expect(out.reason).not.toBe("internal_error");
          else expect(["accepted", "duplicate"]).toContain(out.status);
        },
      ),
      { numRuns: 10_000 },
    );
    expect(pipeline.process({ source: "ble", channel: "ble", receivedAt: T })).toMatchObject({
      reason: "missing_payload",
    });
  });
});

describe("replay window", () => {
  it("accepts every counter at most once, in any order, within the window", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 300 }), (counters) => {
        let state: { counter: number; window: bigint } | undefined;
        const accepted = new Set<number>();
        for (const c of counters) {
          const v = checkCounter(state, c, 64);
          if (v.verdict === "new") {
            expect(accepted.has(c)).toBe(false);
            accepted.add(c);
            state = v.next;
          } else if (v.verdict === "duplicate") expect(accepted.has(c)).toBe(true);
          else expect(c).toBeLessThan(state!.counter - 64 + 1);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

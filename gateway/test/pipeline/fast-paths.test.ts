// The pipeline's two performance paths keep the full path's verdicts: byte-exact repeats of an
// accepted advert (RepeatCache) and ephemeral-id tables built in the background for a large
// registry (EidResolver.build, Pipeline.processWhenIndexed).
import { fromHex, toHex } from "@leiden-iot/protocol";
import { describe, expect, it } from "vitest";
import bandVectors from "../../../protocol/vectors/band-advert.json" with { type: "json" };
import { Pipeline } from "../../src/pipeline/pipeline.js";
import { registryFromData } from "../../src/registry/load.js";
import type { RawFrame } from "../../src/sources/source.js";
import type { CounterState } from "../../src/store/frame-counters.js";
import { bandAdvertFrame } from "../support/frames.js";
import { TEST_MASTER } from "../support/gateway.js";
import { makePipeline } from "./support.js";

const v = bandVectors.valid[0]!;
const t = v.envelope.meta.receivedAt;
const ble = (hex: string, receivedAt: number): RawFrame => ({
  source: "ble",
  channel: "ble",
  receivedAt,
  ble: { data: fromHex(hex)! },
});

describe("repeated copies of an accepted advert", () => {
  it("are duplicates with the original's message id, in new buffers, many times", () => {
    const { pipeline } = makePipeline();
    expect(pipeline.process(ble(v.hex, t)).status).toBe("accepted");
    for (let i = 0; i < 100; i++)
      expect(pipeline.process(ble(v.hex, t + i / 100))).toEqual({
        status: "duplicate",
        messageId: v.envelope.meta.messageId,
      });
  });

  it("one changed byte after an accepted copy is still decided by the MAC (bad_mac)", () => {
    const { pipeline } = makePipeline();
    expect(pipeline.process(ble(v.hex, t)).status).toBe("accepted");
    const bytes = fromHex(v.hex)!;
    bytes[13] = bytes[13]! ^ 4; // steps changed, MAC kept
    expect(pipeline.process(ble(toHex(bytes), t))).toMatchObject({ reason: "bad_mac" });
  });

  it("a copy heard in a later epoch takes the full path (unknown_device far outside the window)", () => {
    const { pipeline } = makePipeline();
    expect(pipeline.process(ble(v.hex, t)).status).toBe("accepted");
    expect(pipeline.process(ble(v.hex, t + 900 * 10))).toMatchObject({
      reason: "unknown_device",
    });
  });

  it("after a rollback (store failed) a copy is accepted again, not a duplicate", () => {
    const { pipeline } = makePipeline();
    const a = pipeline.process(ble(v.hex, t));
    if (a.status !== "accepted") throw new Error("expected accepted");
    pipeline.rollback(a);
    expect(pipeline.process(ble(v.hex, t)).status).toBe("accepted");
  });

  it("a copy of a frame older than the replay window is replayed, as on the full path", () => {
    const counters = new Map<string, CounterState>();
    const { pipeline } = makePipeline({ counters });
    const a = pipeline.process(ble(v.hex, t));
    if (a.status !== "accepted") throw new Error("expected accepted");
    // the device moved far ahead meanwhile (e.g. frames stored by another process)
    pipeline.rollback(a);
    counters.set(a.stream, { counter: a.counter.counter + 1000, window: 0n });
    expect(pipeline.process(ble(v.hex, t))).toMatchObject({ reason: "replayed" });
  });
});

describe("ephemeral-id tables of a large registry, built in the background", () => {
  const DEVICES = 6000; // above the synchronous bound (4096)
  const make = () =>
    new Pipeline(
      registryFromData({
        masterKey: TEST_MASTER,
        pseudonymScope: "test",
        ranges: [{ kind: "band", first: 1, count: DEVICES }],
      }),
      new Map(),
      { gatewayId: "gw", topicPrefix: "t", replayWindow: 32, clockNotSetEpochs: 4 },
    );

  it("yields to the event loop while building, then knows every device", async () => {
    const p = make();
    const now = Date.now() / 1000;
    const e = Math.floor(now / 900);
    const built = p.resolver.build([e - 1, e, e + 1]);
    expect(p.resolver.pending).toBe(true);
    let turns = 0;
    const tick = setInterval(() => turns++, 0);
    await built;
    clearInterval(tick);
    expect(turns).toBeGreaterThan(0);
    expect(p.resolver.pending).toBe(false);
    expect(p.process(bandAdvertFrame(DEVICES, 1)).status).toBe("accepted");
    expect(p.process(bandAdvertFrame(1, 1)).status).toBe("accepted");
  });

  it("holds a frame of a device not indexed yet, and every later frame, in arrival order", async () => {
    const p = make();
    const e = Math.floor(Date.now() / 1000 / 900);
    void p.resolver.build([e - 1, e, e + 1]);
    const order: string[] = [];
    const last = p.processWhenIndexed(bandAdvertFrame(DEVICES, 5)); // indexed last
    const first = p.processWhenIndexed(bandAdvertFrame(1, 5)); // indexed already, still waits
    expect(last).toBeInstanceOf(Promise);
    expect(first).toBeInstanceOf(Promise);
    void Promise.resolve(last).then((o) => order.push("last:" + o.status));
    void Promise.resolve(first).then((o) => order.push("first:" + o.status));
    await p.resolver.ready();
    await Promise.all([last, first]);
    expect(order).toEqual(["last:accepted", "first:accepted"]);
    // once built, frames are processed at once again, and unknown devices are rejected
    const unknown = p.processWhenIndexed(bandAdvertFrame(DEVICES + 1, 1));
    expect(unknown).toMatchObject({ status: "rejected", reason: "unknown_device" });
  });

  it("an enrolment while running lands in the complete tables at once", async () => {
    const registry = registryFromData({
      masterKey: TEST_MASTER,
      pseudonymScope: "test",
      ranges: [{ kind: "band", first: 1, count: DEVICES }],
    });
    const p = new Pipeline(registry, new Map(), {
      gatewayId: "gw",
      topicPrefix: "t",
      replayWindow: 32,
      clockNotSetEpochs: 4,
    });
    const e = Math.floor(Date.now() / 1000 / 900);
    await p.resolver.build([e - 1, e, e + 1]);
    const id = DEVICES + 1;
    registry.add({ id, kind: "band" });
    p.resolver.register(id, registry.deviceKey(id)!);
    expect(p.resolver.pending).toBe(false);
    expect(p.process(bandAdvertFrame(id, 1)).status).toBe("accepted");
  });
});

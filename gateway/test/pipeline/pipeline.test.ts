import {
  classroomUplinkEnvelope,
  cmacKey,
  decodeUplink,
  deriveDeviceKey,
  deviceKeys,
  encodeBandAdvert,
  epochIdentity,
  fromHex,
  loraSessionTag,
  nodeAes128,
  toHex,
} from "@leiden-iot/protocol";
import { describe, expect, it } from "vitest";
import bandVectors from "../../../protocol/vectors/band-advert.json" with { type: "json" };
import classroomVectors from "../../../protocol/vectors/classroom-advert.json" with { type: "json" };
import loraVectors from "../../../protocol/vectors/lora-uplink.json" with { type: "json" };
import type { RawFrame } from "../../src/sources/source.js";
import { makePipeline } from "./support.js";

function bleFrame(hex: string, receivedAt: number, rssi?: number): RawFrame {
  const f: RawFrame = { source: "ble", channel: "ble", receivedAt, ble: { data: fromHex(hex)! } };
  if (rssi !== undefined) f.rssi = rssi;
  return f;
}

describe("pipeline on the protocol vectors", () => {
  for (const v of [...bandVectors.valid, ...classroomVectors.valid]) {
    it(`accepts ${v.name} and publishes exactly the vector's envelope`, () => {
      const { pipeline } = makePipeline();
      const m = v.envelope.meta as { receivedAt: number; rssi?: number };
      const out = pipeline.process(bleFrame(v.hex, m.receivedAt, m.rssi));
      expect(out.status).toBe("accepted");
      if (out.status !== "accepted") return;
      expect(out.deviceId).toBe(v.deviceId);
      expect(out.pseudonym).toBe(v.envelope.pseudonym);
      expect(out.messageId).toBe(v.envelope.meta.messageId);
      expect(toHex(out.payload)).toBe(v.envelope.cbor);
      const tree = v.envelope.topicKind === "band_report" ? "rewards/band" : "sensors/classroom";
      expect(out.topic.startsWith(`leiden/${tree}/${v.envelope.pseudonym}/`)).toBe(true);
      expect(out.userProperties.mid).toBe(v.envelope.meta.messageId);
      expect(out.userProperties.gateway).toBe("gw-leiden-01");
    });
  }

  for (const v of [...bandVectors.invalid, ...classroomVectors.invalid]) {
    it(`rejects invalid vector "${v.name}" as ${v.reason}`, () => {
      const { pipeline } = makePipeline();
      const out = pipeline.process(bleFrame(v.hex, 1795425000));
      expect(out).toMatchObject({ status: "rejected", reason: v.reason });
    });
  }
});

describe("authentication, replay window and dedup", () => {
  const v = bandVectors.valid[0]!;
  const t = v.envelope.meta.receivedAt;

  it("treats the same frame heard again as a duplicate with the same message id", () => {
    const { pipeline } = makePipeline();
    const a = pipeline.process(bleFrame(v.hex, t));
    const b = pipeline.process(bleFrame(v.hex, t + 1));
    expect(a.status).toBe("accepted");
    expect(b).toEqual({ status: "duplicate", messageId: v.envelope.meta.messageId });
  });

  it("rejects a forged MAC as bad_mac", () => {
    const { pipeline } = makePipeline();
    const bytes = fromHex(v.hex)!;
    bytes[23] = bytes[23]! ^ 1;
    expect(pipeline.process(bleFrame(toHex(bytes), t))).toMatchObject({
      status: "rejected",
      reason: "bad_mac",
    });
    const changed = fromHex(v.hex)!;
    changed[13] = changed[13]! ^ 4; // steps changed, MAC kept
    expect(pipeline.process(bleFrame(toHex(changed), t))).toMatchObject({ reason: "bad_mac" });
  });

  it("rejects an unknown ephemeral id as unknown_device, also outside the epoch window", () => {
    const { pipeline } = makePipeline();
    const bytes = fromHex(v.hex)!;
    bytes[1] = bytes[1]! ^ 0xff;
    expect(pipeline.process(bleFrame(toHex(bytes), t))).toMatchObject({ reason: "unknown_device" });
    expect(pipeline.process(bleFrame(v.hex, t + 3 * 900))).toMatchObject({
      reason: "unknown_device",
    });
    expect(pipeline.process(bleFrame(v.hex, t + 900)).status).toBe("accepted"); // previous epoch
  });

  it("accepts late counters inside the window once, rejects those older than it as replayed", () => {
    const { pipeline, masterKey } = makePipeline();
    const keys = deviceKeys(nodeAes128, deriveDeviceKey(nodeAes128, masterKey, 5));
    const eid = epochIdentity(nodeAes128, keys.eid, Math.floor(t / 900)).eid;
    const mac = cmacKey(nodeAes128, keys.mac);
    const frame = (counter: number) =>
      bleFrame(
        toHex(
          encodeBandAdvert(
            {
              eid: "",
              counter,
              day: 2518,
              steps: 100,
              backlog: null,
              batteryMv: 3000,
              flags: {
                goalReached: false,
                lowBattery: false,
                clockNotSet: false,
                storageFault: false,
                sensorFault: false,
              },
            },
            eid,
            mac,
          ),
        ),
        t,
      );
    expect(pipeline.process(frame(100)).status).toBe("accepted");
    expect(pipeline.process(frame(90)).status).toBe("accepted"); // late, inside the window
    expect(pipeline.process(frame(90)).status).toBe("duplicate");
    expect(pipeline.process(frame(100)).status).toBe("duplicate");
    expect(pipeline.process(frame(60))).toMatchObject({ status: "rejected", reason: "replayed" });
    expect(pipeline.process(frame(101)).status).toBe("accepted");
  });

  it("persisted counter state survives a restart: an old frame is a replay after restart", () => {
    const first = makePipeline();
    const a = first.pipeline.process(bleFrame(v.hex, t));
    if (a.status !== "accepted") throw new Error("expected accepted");
    first.counters.set(a.stream, a.counter); // what the outbox transaction stores
    const second = makePipeline({ counters: first.counters });
    expect(second.pipeline.process(bleFrame(v.hex, t)).status).toBe("duplicate");
  });

  it("rollback lets a frame that could not be stored be accepted again", () => {
    const { pipeline } = makePipeline();
    const a = pipeline.process(bleFrame(v.hex, t));
    if (a.status !== "accepted") throw new Error("expected accepted");
    pipeline.rollback(a);
    expect(pipeline.process(bleFrame(v.hex, t)).status).toBe("accepted");
  });

  it("resolves clockNotSet bands through the bounded fallback (boot-relative epochs)", () => {
    const { pipeline, masterKey } = makePipeline();
    const keys = deviceKeys(nodeAes128, deriveDeviceKey(nodeAes128, masterKey, 7));
    const report = (clockNotSet: boolean) => ({
      eid: "",
      counter: 3,
      day: 0,
      steps: 10,
      backlog: null,
      batteryMv: null,
      flags: {
        goalReached: false,
        lowBattery: false,
        clockNotSet,
        storageFault: false,
        sensorFault: false,
      },
    });
    const eid = epochIdentity(nodeAes128, keys.eid, 2).eid; // clock started at 0, 30 min uptime
    const mac = cmacKey(nodeAes128, keys.mac);
    expect(
      pipeline.process(bleFrame(toHex(encodeBandAdvert(report(false), eid, mac)), t)),
    ).toMatchObject({
      reason: "unknown_device",
    });
    const out = pipeline.process(bleFrame(toHex(encodeBandAdvert(report(true), eid, mac)), t));
    expect(out).toMatchObject({ status: "accepted", deviceId: 7 });
  });
});

describe("LoRa frames", () => {
  const lora = (
    fPort: number,
    hex: string,
    fCnt: number,
    devEui = "70b3d57ed0000500",
  ): RawFrame => ({
    source: "lns-mqtt",
    channel: "lora",
    receivedAt: 1795425000,
    rssi: -112,
    snr: -3.5,
    lora: { devEui, devAddr: "260b1234", fCnt, fPort, payload: fromHex(hex)! },
  });

  it("resolves devEui, dedups by messageId(uuid, lora, fCnt, session tag) and builds the uplink envelope", () => {
    const { pipeline, registry } = makePipeline();
    for (const [i, v] of loraVectors.valid.entries()) {
      const out = pipeline.process(lora(v.fPort, v.hex, 10 + i));
      expect(out.status).toBe("accepted");
      if (out.status !== "accepted") continue;
      expect(out.messageId).toBe(
        `${out.pseudonym}/l/${loraSessionTag(nodeAes128, registry.pseudonymKey, "260b1234")}/${10 + i}`,
      );
      expect(out.messageId).not.toContain("260b1234");
      const u = decodeUplink(v.fPort, fromHex(v.hex)!);
      if (!u.ok) throw new Error("vector does not decode");
      const expected = classroomUplinkEnvelope(u.value, out.pseudonym, {
        gatewayId: "gw-leiden-01",
        receivedAt: 1795425000,
        source: "lora",
        messageId: out.messageId,
        counter: 10 + i,
        rssi: -112,
        snr: -3.5,
      });
      expect(out.envelope).toEqual(expected);
      expect(pipeline.process(lora(v.fPort, v.hex, 10 + i)).status).toBe("duplicate");
    }
  });

  it("rejects unknown devEui, band devEui and bad payloads with their reasons", () => {
    const { pipeline } = makePipeline();
    expect(
      pipeline.process(lora(1, loraVectors.valid[0]!.hex, 1, "0000000000000001")),
    ).toMatchObject({
      reason: "unknown_device",
    });
    expect(
      pipeline.process(lora(1, loraVectors.valid[0]!.hex, 1, "70b3d57ed0000501")),
    ).toMatchObject({
      reason: "wrong_kind",
    });
    for (const v of loraVectors.invalid)
      expect(pipeline.process(lora(v.fPort, v.hex, 1))).toMatchObject({
        status: "rejected",
        reason: v.reason,
      });
  });
});

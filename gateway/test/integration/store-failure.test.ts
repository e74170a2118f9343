// A failed outbox write is never acknowledged: neither for the frame itself nor for a copy of it
// (another gateway's or a repeat) that arrived while the write was pending. A resend is accepted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cmacKey,
  deriveDeviceKey,
  deviceKeys,
  encodeBandAdvert,
  epochIdentity,
  epochOf,
  fromHex,
  localDay,
  nodeAes128,
} from "@leiden-iot/protocol";
import {
  disposeMosquitto,
  startMosquitto,
  type Mosquitto,
} from "../../../test/support/mosquitto.js";
import { startGateway, type RunningGateway } from "../../src/gateway.js";
import type { RawFrame } from "../../src/sources/source.js";
import { silent, tempDir, testConfig, TEST_MASTER } from "../support/gateway.js";

let mosq: Mosquitto;
let gw: RunningGateway;
const tmp = tempDir("liot-store-failure-");

beforeAll(async () => {
  mosq = await startMosquitto();
  gw = await startGateway(
    testConfig(tmp.dir, { broker: { url: mosq.url, mode: "external" } }),
    silent,
  );
});
afterAll(async () => {
  await gw.stop();
  await disposeMosquitto(mosq);
  tmp.dispose();
});

function bandFrame(deviceId: number, counter: number): RawFrame {
  const now = Date.now() / 1000;
  const k = deviceKeys(nodeAes128, deriveDeviceKey(nodeAes128, fromHex(TEST_MASTER)!, deviceId));
  const id = epochIdentity(nodeAes128, k.eid, epochOf(now));
  const flags = {
    goalReached: false,
    lowBattery: false,
    clockNotSet: false,
    storageFault: false,
    sensorFault: false,
  };
  const data = encodeBandAdvert(
    { eid: "", counter, day: localDay(now), steps: 1234, backlog: null, batteryMv: 3000, flags },
    id.eid,
    cmacKey(nodeAes128, k.mac),
  );
  return { source: "ble", channel: "ble", receivedAt: now, rssi: -60, ble: { data } };
}

describe("outbox write failure", () => {
  it("rejects the frame and its concurrent copy with store_failed, then accepts the resend", async () => {
    const outbox = gw.outbox as unknown as { enqueue: (...a: unknown[]) => Promise<number> };
    const real = outbox.enqueue.bind(gw.outbox);
    outbox.enqueue = () =>
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error("SQLITE_FULL: database or disk is full")), 50),
      );
    const frame = bandFrame(3, 10);
    const [first, copy] = await Promise.all([gw.emit(frame), gw.emit({ ...frame, rssi: -80 })]);
    outbox.enqueue = real;
    expect(first).toMatchObject({ status: "rejected", reason: "store_failed" });
    expect(copy).toMatchObject({ status: "rejected", reason: "store_failed" });
    expect(await gw.emit(frame)).toMatchObject({ status: "accepted" });
    expect(await gw.emit(frame)).toMatchObject({ status: "duplicate" });
  });

  it("after a failed batch with two frames of one device, both resends are accepted", async () => {
    const outbox = gw.outbox as unknown as { enqueue: (...a: unknown[]) => Promise<number> };
    const real = outbox.enqueue.bind(gw.outbox);
    outbox.enqueue = () =>
      new Promise((_, reject) => setTimeout(() => reject(new Error("SQLITE_IOERR")), 20));
    const a = bandFrame(4, 20);
    const b = bandFrame(4, 21);
    const failed = await Promise.all([gw.emit(a), gw.emit(b)]);
    outbox.enqueue = real;
    expect(failed.map((d) => d.status)).toEqual(["rejected", "rejected"]);
    expect(await gw.emit(a)).toMatchObject({ status: "accepted" });
    expect(await gw.emit(b)).toMatchObject({ status: "accepted" });
  });
});

describe("outbox maintenance failure", () => {
  it("reports a failing expiry or bound enforcement instead of throwing", () => {
    const errors: string[] = [];
    const outbox = gw.outbox as unknown as {
      maintain: (w: string, f: () => void) => void;
      opts: { onMaintenanceError?: (w: string, e: Error) => void };
    };
    const before = outbox.opts.onMaintenanceError;
    outbox.opts.onMaintenanceError = (w, e) => errors.push(w + ": " + e.message);
    expect(() =>
      outbox.maintain("expire", () => {
        throw new Error("SQLITE_FULL: database or disk is full");
      }),
    ).not.toThrow();
    outbox.opts.onMaintenanceError = before;
    expect(errors).toEqual(["expire: SQLITE_FULL: database or disk is full"]);
  });
});

// A failed outbox write is never acknowledged: neither for the frame itself nor for a copy of it
// (another gateway's or a repeat) that arrived while the write was pending. A resend is accepted.
// The failures are real SQLite errors: the gateway's own connection is switched to query_only, so
// every INSERT/DELETE fails inside SQLite as on a read-only or failing disk.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  disposeMosquitto,
  startMosquitto,
  type Mosquitto,
} from "../../../test/support/mosquitto.js";
import { startGateway, type RunningGateway } from "../../src/gateway.js";
import { bandAdvertFrame } from "../support/frames.js";
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

const bandFrame = (deviceId: number, counter: number) =>
  bandAdvertFrame(deviceId, counter, TEST_MASTER, 1234);

/** Every write on the gateway's database fails in SQLite until the returned function is called. */
function failWrites(g: RunningGateway): () => void {
  g.outbox.db.pragma("query_only = ON");
  return () => g.outbox.db.pragma("query_only = OFF");
}

describe("outbox write failure", () => {
  it("rejects the frame and its concurrent copy with store_failed, then accepts the resend", async () => {
    const restore = failWrites(gw);
    const frame = bandFrame(3, 10);
    const [first, copy] = await Promise.all([gw.emit(frame), gw.emit({ ...frame, rssi: -80 })]);
    restore();
    expect(first).toMatchObject({ status: "rejected", reason: "store_failed" });
    expect(copy).toMatchObject({ status: "rejected", reason: "store_failed" });
    expect(await gw.emit(frame)).toMatchObject({ status: "accepted" });
    expect(await gw.emit(frame)).toMatchObject({ status: "duplicate" });
  });

  it("after a failed batch with two frames of one device, both resends are accepted", async () => {
    const restore = failWrites(gw);
    const a = bandFrame(4, 20);
    const b = bandFrame(4, 21);
    const failed = await Promise.all([gw.emit(a), gw.emit(b)]);
    restore();
    expect(failed.map((d) => d.status)).toEqual(["rejected", "rejected"]);
    expect(await gw.emit(a)).toMatchObject({ status: "accepted" });
    expect(await gw.emit(b)).toMatchObject({ status: "accepted" });
  });
});

describe("outbox maintenance failure", () => {
  it("logs a failing expiry with what to check instead of throwing, and expires once writable", async () => {
    const lines: string[] = [];
    const log = pino({ level: "warn" }, { write: (s: string) => void lines.push(s) });
    const dir = tempDir("liot-store-maint-");
    // No broker: frames stay in the outbox, so there is something to expire.
    const g = await startGateway(
      testConfig(dir.dir, {
        broker: { url: "mqtt://127.0.0.1:1", mode: "external" },
        outbox: { maxAgeSeconds: 1 },
      }),
      log,
    );
    try {
      expect(await g.emit(bandFrame(5, 30))).toMatchObject({ status: "accepted" });
      await new Promise((r) => setTimeout(r, 1100));
      const restore = failWrites(g);
      // What the gateway's expiry timer runs.
      expect(() => g.outbox.maintain("expire", () => g.outbox.expire())).not.toThrow();
      restore();
      const warn = lines.map((l) => JSON.parse(l) as { msg: string; err?: string });
      expect(
        warn.find((w) => w.msg.startsWith("outbox maintenance failed (expire)")),
      ).toMatchObject({ err: expect.stringMatching(/readonly|read-only|query_only/i) });
      expect(g.outbox.expire()).toBe(1);
    } finally {
      await g.stop();
      dir.dispose();
    }
  });
});

// A broker that refuses the gateway's publishes (MQTT 5 PUBACK "not authorized" from an ACL) must
// not make frames disappear or stall the publisher: once the ACL allows it, every accepted frame
// arrives, in order.
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromHex } from "@leiden-iot/protocol";
import {
  disposeMosquitto,
  startMosquitto,
  type Mosquitto,
} from "../../../test/support/mosquitto.js";
import { startGateway, type RunningGateway } from "../../src/gateway.js";
import { SimFleet } from "../../src/sources/sim/fleet.js";
import { orderViolations, startConsumer, until, type Consumer } from "../support/consumer.js";
import { silent, tempDir, testConfig, TEST_MASTER } from "../support/gateway.js";

const tmp = tempDir("gw-refused-");
const acl = join(tmp.dir, "acl");
let mosq: Mosquitto;
let gw: RunningGateway;
let consumer: Consumer;

beforeAll(async () => {
  // Mosquitto drops root privileges to its own user: the ACL must be readable by it.
  chmodSync(tmp.dir, 0o755);
  writeFileSync(acl, "topic read #\n", { mode: 0o644 });
  mosq = await startMosquitto({ listenerConfig: [`acl_file ${acl}`] });
  consumer = await startConsumer(mosq.url, "t", { clientId: "refused-consumer" });
  gw = await startGateway(
    testConfig(tmp.dir, {
      broker: { mode: "external", url: mosq.url, reconnectMinMs: 100, reconnectMaxMs: 1000 },
    }),
    silent,
  );
});
afterAll(async () => {
  await consumer?.close();
  await gw?.stop();
  await disposeMosquitto(mosq);
  tmp.dispose();
});

describe("publishes refused by the broker", () => {
  it("keeps the frames and delivers them in order once the broker allows them", async () => {
    const fleet = new SimFleet({
      masterKey: fromHex(TEST_MASTER)!,
      bands: 3,
      classrooms: 0,
      firstBandId: 1,
      firstClassroomId: 100000,
    });
    const mids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const d = await gw.emit(fleet.frame(Date.now() / 1000).frame);
      if (d.status !== "accepted") throw new Error(JSON.stringify(d));
      mids.push(d.messageId);
    }
    await until(() => gw.publisher.refused > 0, 5000, "the broker to refuse a publish");
    expect(consumer.received.filter((r) => mids.includes(r.mid))).toEqual([]);
    expect(gw.outbox.depth).toBe(12);
    // while refused, only the oldest row is retried: a full window could be half refused, half
    // accepted when the ACL changes mid-window, and a later frame would overtake an earlier one
    const refusedSoFar = gw.publisher.refused;
    const sentSoFar = gw.publisher.sent;
    await until(() => gw.publisher.refused >= refusedSoFar + 2, 5000, "two retries refused");
    expect(gw.publisher.sent - sentSoFar).toBeLessThanOrEqual(
      gw.publisher.refused - refusedSoFar + 1,
    );

    writeFileSync(acl, "topic readwrite #\n");
    mosq.reload();
    await until(
      () => mids.every((m) => consumer.received.some((r) => r.mid === m)),
      15000,
      "every frame at the consumer",
    );
    expect(orderViolations(consumer.received)).toEqual([]);
    await until(() => gw.outbox.depth === 0, 5000, "the outbox to drain");
  });
});

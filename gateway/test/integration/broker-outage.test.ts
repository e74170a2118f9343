// The broker goes away for 30 s (LIOT_TEST_OUTAGE_SECONDS) in the middle of a stream: every
// accepted frame is delivered once the broker is back, in order per device.
import { fromHex } from "@leiden-iot/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  disposeMosquitto,
  startMosquitto,
  type Mosquitto,
} from "../../../test/support/mosquitto.js";
import { startGateway, type RunningGateway } from "../../src/gateway.js";
import { SimFleet } from "../../src/sources/sim/fleet.js";
import { orderViolations, startConsumer, until, type Consumer } from "../support/consumer.js";
import { TEST_MASTER, silent, tempDir, testConfig } from "../support/gateway.js";

const OUTAGE_S = Number(process.env.LIOT_TEST_OUTAGE_SECONDS ?? 30);

describe("broker outage", () => {
  let mosq: Mosquitto;
  let gw: RunningGateway;
  let consumer: Consumer;
  const tmp = tempDir("gw-outage-");

  beforeAll(async () => {
    // persistence so the consumer's session (clean: false) and its queue survive the restart
    mosq = await startMosquitto({
      listenerConfig: [
        "persistence true",
        `persistence_location ${tmp.dir}/`,
        "max_queued_messages 100000",
      ],
    });
    gw = await startGateway(
      testConfig(tmp.dir, {
        broker: { mode: "external", url: mosq.url, reconnectMinMs: 200, reconnectMaxMs: 2000 },
        outbox: { inFlight: 50 },
      }),
      silent,
    );
    consumer = await startConsumer(mosq.url, "t", {
      clean: false,
      clientId: "outage-consumer",
      protocolVersion: 4,
    });
  });

  afterAll(async () => {
    await consumer?.close();
    await gw?.stop();
    await disposeMosquitto(mosq);
    tmp.dispose();
  });

  it(
    `delivers every accepted frame, in order per device, across a ${OUTAGE_S} s outage`,
    { timeout: (OUTAGE_S + 90) * 1000 },
    async () => {
      const fleet = new SimFleet({
        masterKey: fromHex(TEST_MASTER)!,
        bands: 20,
        classrooms: 5,
        firstBandId: 1,
        firstClassroomId: 100000,
      });
      const accepted = new Set<string>();
      let stop = false;
      const stream = (async () => {
        while (!stop) {
          for (let i = 0; i < 10; i++) {
            const d = await gw.emit(fleet.frame(Date.now() / 1000).frame);
            if (d.status === "accepted") accepted.add(d.messageId);
            else throw new Error("unexpected disposition " + JSON.stringify(d));
          }
          await new Promise((r) => setTimeout(r, 50)); // ~200 frames/s
        }
      })();
      await new Promise((r) => setTimeout(r, 2000));
      await mosq.stop();
      const atStop = accepted.size;
      await until(() => !gw.publisher.isConnected, 5000, "the gateway to notice the outage");
      await new Promise((r) => setTimeout(r, OUTAGE_S * 1000));
      expect(accepted.size).toBeGreaterThan(atStop + 100); // frames kept being accepted meanwhile
      expect(gw.outbox.depth).toBeGreaterThan(100);
      await mosq.start();
      await new Promise((r) => setTimeout(r, 2000));
      stop = true;
      await stream;
      await until(() => gw.outbox.depth === 0, 30_000, "the outbox to drain");
      const ids = () => new Set(consumer.received.map((r) => r.mid));
      await until(
        () => [...accepted].every((m) => ids().has(m)),
        15_000,
        "every accepted frame at the consumer",
      );
      expect(orderViolations(consumer.received)).toEqual([]);
      expect(consumer.status.get("t/gateways/gw-test/status")).toBe("online");
    },
  );
});

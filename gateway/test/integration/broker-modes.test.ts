// broker.mode auto: with nothing on the URL the gateway starts the embedded aedes broker there and
// falls back from MQTT 5 to 3.1.1 (aedes refuses v5); with Mosquitto there it uses Mosquitto.
import { fromHex } from "@leiden-iot/protocol";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { disposeMosquitto, freePort, startMosquitto } from "../../../test/support/mosquitto.js";
import { startGateway } from "../../src/gateway.js";
import { SimFleet } from "../../src/sources/sim/fleet.js";
import { startConsumer, until } from "../support/consumer.js";
import { TEST_MASTER, silent, tempDir, testConfig } from "../support/gateway.js";

const fleet = () =>
  new SimFleet({
    masterKey: fromHex(TEST_MASTER)!,
    bands: 2,
    classrooms: 1,
    firstBandId: 1,
    firstClassroomId: 100000,
  });

describe("broker modes", () => {
  it("auto with nothing listening: embedded broker, MQTT 3.1.1 fallback, envelopes delivered", async () => {
    const tmp = tempDir("gw-auto-");
    const port = await freePort();
    const gw = await startGateway(
      testConfig(tmp.dir, { broker: { url: `mqtt://127.0.0.1:${port}` } }),
      silent,
    );
    try {
      expect(gw.embeddedBroker?.port).toBe(port);
      const consumer = await startConsumer(gw.brokerUrl, "t", { protocolVersion: 4 });
      const f = fleet();
      for (let i = 0; i < 5; i++)
        expect((await gw.emit(f.frame(Date.now() / 1000).frame)).status).toBe("accepted");
      await until(
        () => consumer.received.length >= 5,
        10_000,
        "5 envelopes from the embedded broker",
      );
      expect(gw.publisher.protocolVersion).toBe(4);
      await consumer.close();
    } finally {
      await gw.stop();
      tmp.dispose();
    }
  });

  it("auto with Mosquitto listening: uses it over MQTT 5", async () => {
    const tmp = tempDir("gw-auto2-");
    const mosq = await startMosquitto();
    const gw = await startGateway(testConfig(tmp.dir, { broker: { url: mosq.url } }), silent);
    try {
      expect(gw.embeddedBroker).toBeNull();
      await until(() => gw.publisher.isConnected, 5000, "connection");
      expect(gw.publisher.protocolVersion).toBe(5);
    } finally {
      await gw.stop();
      await disposeMosquitto(mosq);
      tmp.dispose();
    }
  });

  it("external with nothing listening: frames accepted, the log says nothing answers, and MQTT 5 is kept for the broker that comes later", async () => {
    const tmp = tempDir("gw-ext-");
    const port = await freePort();
    const lines: string[] = [];
    const log = pino({ level: "info" }, { write: (s: string) => void lines.push(s) });
    const gw = await startGateway(
      testConfig(tmp.dir, {
        broker: {
          mode: "external",
          url: `mqtt://127.0.0.1:${port}`,
          reconnectMinMs: 100,
          reconnectMaxMs: 1000,
        },
      }),
      log,
    );
    const msgs = () => lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    try {
      expect(gw.embeddedBroker).toBeNull();
      expect((await gw.emit(fleet().frame(Date.now() / 1000).frame)).status).toBe("accepted");
      expect(gw.outbox.depth).toBe(1);
      // Refused connections are not a broker dropping MQTT 5: after several of them the
      // gateway must still speak MQTT 5 and must not say it was refused MQTT 5.
      await until(
        () => msgs().filter((m) => m.startsWith("nothing answers at")).length >= 4,
        15_000,
        "four refused connection attempts",
      );
      expect(msgs()).toContain(
        `nothing answers at mqtt://127.0.0.1:${port}: start the broker, check broker.url, or use broker.mode: auto to run the embedded broker`,
      );
      expect(msgs().filter((m) => /CONNACK|MQTT 3\.1\.1/.test(m))).toEqual([]);
      expect(gw.publisher.protocolVersion).toBe(5);
      const mosq = await startMosquitto({ port });
      try {
        await until(() => gw.outbox.depth === 0, 15_000, "the queued frame published");
        expect(gw.publisher.protocolVersion).toBe(5);
      } finally {
        await gw.stop();
        await disposeMosquitto(mosq);
      }
    } finally {
      await gw.stop();
      tmp.dispose();
    }
  });
});

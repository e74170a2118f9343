// Mosquitto with TLS (own CA) and password authentication: the gateway connects, publishes with
// MQTT 5 content type and user properties; wrong credentials give a clear error and a retry with
// backoff; an outbox over its byte bound drops oldest-first, counted, and keeps accepting.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ENVELOPE_CONTENT_TYPE, ENVELOPE_SCHEMA, fromHex } from "@leiden-iot/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  disposeMosquitto,
  startMosquitto,
  type Mosquitto,
} from "../../../test/support/mosquitto.js";
import { startGateway } from "../../src/gateway.js";
import { SimFleet } from "../../src/sources/sim/fleet.js";
import { startConsumer, until } from "../support/consumer.js";
import { TEST_MASTER, silent, tempDir, testConfig } from "../support/gateway.js";
import { makeCerts } from "../support/test-certs.js";

describe("TLS and password authentication (Mosquitto)", () => {
  let mosq: Mosquitto;
  const tmp = tempDir("gw-tls-");
  let certs: { ca: string; cert: string; key: string };

  beforeAll(async () => {
    certs = makeCerts(tmp.dir);
    const pw = join(tmp.dir, "passwd");
    execFileSync("mosquitto_passwd", ["-c", "-b", pw, "gateway", "s3cret-pass"]);
    execFileSync("mosquitto_passwd", ["-b", pw, "reader", "reader-pass"]);
    // mosquitto started as root drops to its own user: let it read the files
    execFileSync("chmod", ["0755", tmp.dir]);
    execFileSync("chmod", ["0644", pw, certs.ca, certs.cert, certs.key]);
    mosq = await startMosquitto({
      allowAnonymous: false,
      listenerConfig: [
        `cafile ${certs.ca}`,
        `certfile ${certs.cert}`,
        `keyfile ${certs.key}`,
        `password_file ${pw}`,
      ],
    });
  });
  afterAll(async () => {
    await disposeMosquitto(mosq);
    tmp.dispose();
  });

  it("connects over TLS with username/password and publishes MQTT 5 envelopes", async () => {
    const url = `mqtts://localhost:${mosq.port}`;
    const consumer = await startConsumer(url, "t", {
      username: "reader",
      password: "reader-pass",
      ca: [readFileSync(certs.ca)],
    });
    const gw = await startGateway(
      testConfig(join(tmp.dir, "ok"), {
        broker: {
          mode: "external",
          url,
          username: "gateway",
          password: "s3cret-pass",
          tls: { ca: certs.ca },
        },
      }),
      silent,
    );
    try {
      const fleet = new SimFleet({
        masterKey: fromHex(TEST_MASTER)!,
        bands: 3,
        classrooms: 1,
        firstBandId: 1,
        firstClassroomId: 100000,
      });
      const mids: string[] = [];
      for (let i = 0; i < 8; i++) {
        const d = await gw.emit(fleet.frame(Date.now() / 1000).frame);
        if (d.status === "accepted") mids.push(d.messageId);
      }
      expect(mids).toHaveLength(8);
      await until(() => consumer.received.length >= 8, 10_000, "8 envelopes over TLS");
      const r = consumer.received[0]!;
      expect(gw.publisher.protocolVersion).toBe(5);
      expect(r.contentType).toBe(ENVELOPE_CONTENT_TYPE);
      expect(r.userProperties).toMatchObject({
        schema: ENVELOPE_SCHEMA,
        gateway: "gw-test",
        mid: r.mid,
      });
      expect(consumer.received.map((x) => x.mid).sort()).toEqual(mids.sort());
    } finally {
      await gw.stop();
      await consumer.close();
    }
  });

  it("wrong credentials: a clear error naming the fix, retried with growing delays", async () => {
    const gw = await startGateway(
      testConfig(join(tmp.dir, "bad"), {
        broker: {
          mode: "external",
          url: `mqtts://localhost:${mosq.port}`,
          username: "gateway",
          password: "wrong",
          tls: { ca: certs.ca },
          reconnectMinMs: 200,
          reconnectMaxMs: 1000,
        },
      }),
      silent,
    );
    try {
      const t0 = Date.now();
      const errors = async () =>
        (await gw.metrics.connectErrors.get()).values.find(
          (v) => v.labels.problem === "credentials",
        )?.value ?? 0;
      let n = 0;
      await until(
        () => {
          void errors().then((v) => (n = v));
          return n >= 3;
        },
        15_000,
        "three refused attempts",
      );
      expect(Date.now() - t0).toBeGreaterThanOrEqual(400); // backoff between attempts, not a hot loop
      expect(gw.publisher.isConnected).toBe(false);
      expect(gw.publisher.lastError).toMatch(
        /refused the username\/password.*check broker.username and broker.password/,
      );
      expect(gw.publisher.lastError).not.toContain("wrong");
      // frames are still accepted into the outbox meanwhile
      const fleet = new SimFleet({
        masterKey: fromHex(TEST_MASTER)!,
        bands: 1,
        classrooms: 0,
        firstBandId: 1,
        firstClassroomId: 100000,
      });
      expect((await gw.emit(fleet.frame(Date.now() / 1000).frame)).status).toBe("accepted");
    } finally {
      await gw.stop();
    }
  });
});

describe("outbox full", () => {
  it("drops oldest-first, counts the drops, keeps accepting", async () => {
    const tmp = tempDir("gw-full-");
    const gw = await startGateway(
      testConfig(tmp.dir, {
        broker: { mode: "external", url: "mqtt://127.0.0.1:1", reconnectMinMs: 5000 },
        outbox: { maxBytes: 20_000 },
      }),
      silent,
    );
    try {
      const fleet = new SimFleet({
        masterKey: fromHex(TEST_MASTER)!,
        bands: 20,
        classrooms: 5,
        firstBandId: 1,
        firstClassroomId: 100000,
      });
      const mids: string[] = [];
      for (let i = 0; i < 400; i++) {
        const d = await gw.emit(fleet.frame(Date.now() / 1000).frame);
        expect(d.status).toBe("accepted");
        mids.push((d as { messageId: string }).messageId);
      }
      expect(gw.outbox.bytes).toBeLessThanOrEqual(20_000);
      const dropped =
        (await gw.metrics.outboxDropped.get()).values.find((v) => v.labels.reason === "full")
          ?.value ?? 0;
      expect(dropped).toBeGreaterThan(0);
      expect(dropped + gw.outbox.depth).toBe(400);
      const left = gw.outbox.next(0, 1000).map((r) => r.messageId);
      expect(left).toEqual(mids.slice(400 - left.length)); // the newest survive, in order
    } finally {
      await gw.stop();
      tmp.dispose();
    }
  });
});

// Many gateways, one region (b): each gateway publishes into the Mosquitto on its own host, which
// forwards to the region's central Mosquitto with the shipped bridge config
// (gateway/deploy/mosquitto/leiden-bridge.conf, TLS lines left out: the gateway's TLS is tested in
// integration/tls-auth.test.ts). The central broker goes away for 60 s
// (LIOT_TEST_BRIDGE_OUTAGE_SECONDS) while the gateways keep streaming: every frame any gateway
// accepted reaches the central consumer afterwards, in order per device.
//
// Why 60 s: at 60 frames/s per gateway an edge queues ~3,600 messages, well past Mosquitto's
// default bridge queue limit of 1,000 (the shipped max_queued_messages is what keeps them), and
// the bridge fails several reconnects and reaches its 20 s backoff cap (restart_timeout 2 20).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { topicFilters } from "@leiden-iot/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  disposeMosquitto,
  startMosquitto,
  type Mosquitto,
} from "../../../test/support/mosquitto.js";
import { orderViolations, until } from "../support/consumer.js";
import { tempDir, writeRegistry } from "../support/gateway.js";
import {
  assertBuilt,
  GATEWAY_DIR,
  spawnCompiledGateway,
  type GatewayProcess,
} from "../install/compiled.js";
import { startRecorder, writeGatewayConfig, type Recorder } from "./region.js";

const OUTAGE_S = Number(process.env.LIOT_TEST_BRIDGE_OUTAGE_SECONDS ?? 60);
const PREFIX = "leiden";
const EDGES = ["site1", "site2"];
const RATE = 60;
const SHIPPED = join(GATEWAY_DIR, "deploy", "mosquitto", "leiden-bridge.conf");

/**
 * The shipped bridge config for a test edge: the listener and anonymous access come from the test
 * broker helper, the central address is the test's central broker, the TLS files are dropped.
 * Every other line, the durability settings included, is used as shipped.
 */
function edgeConfig(site: string, centralPort: number, dir: string): string[] {
  const lines = readFileSync(SHIPPED, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
  const out: string[] = [];
  for (const l of lines) {
    const [key] = l.split(/\s+/);
    if (key === "listener" || key === "allow_anonymous") continue;
    if (key === "bridge_cafile" || key === "bridge_certfile" || key === "bridge_keyfile") continue;
    if (key === "connection") out.push(`persistence_location ${dir}/`);
    if (key === "address") out.push(`address 127.0.0.1:${centralPort}`);
    else out.push(l.replaceAll("liot-edge-site1", `liot-edge-${site}`));
  }
  return out;
}

describe(`edge Mosquitto bridged to a central broker that is down for ${OUTAGE_S} s`, () => {
  const tmp = tempDir("gw-bridge-");
  let central: Mosquitto;
  const edges: Mosquitto[] = [];
  const gateways: GatewayProcess[] = [];
  let consumer: Recorder;
  let watcher: Recorder;
  const logs = EDGES.map((site) => join(tmp.dir, `accepted-${site}.log`));
  const accepted = (): string[] =>
    logs.flatMap((p) => {
      try {
        return readFileSync(p, "utf8")
          .split("\n")
          .filter((l) => l !== "");
      } catch {
        return [];
      }
    });

  it("the shipped config has the settings a lossless bridge depends on", () => {
    const conf = readFileSync(SHIPPED, "utf8");
    for (const line of [
      "cleansession false",
      "local_cleansession false",
      "max_queued_messages 0",
      "bridge_protocol_version mqttv50",
      "restart_timeout 2 20",
      "persistence true",
      "topic leiden/# out 1",
    ])
      expect(conf.split("\n")).toContain(line);
  });

  beforeAll(async () => {
    assertBuilt();
    central = await startMosquitto({
      listenerConfig: [
        "persistence true",
        `persistence_location ${tmp.dir}/`,
        "max_queued_messages 0",
      ],
    });
    for (const site of EDGES)
      edges.push(
        await startMosquitto({
          listenerConfig: edgeConfig(site, central.port, tmp.dir + "/" + site),
        }),
      );
    const f = topicFilters(PREFIX);
    // a persistent MQTT 5 session on the central broker: it queues what arrives while we are away
    consumer = await startRecorder(central.url, [f.bands, f.classrooms], {
      clientId: "central-consumer",
      clean: false,
      properties: { sessionExpiryInterval: 3600 },
    });
    // the bridge state notifications, as the first edge sees them
    watcher = await startRecorder(edges[0]!.url, ["liot/bridges/#"]);
    const registry = writeRegistry(tmp.dir, 40, 4);
    EDGES.forEach((site, i) => {
      const config = writeGatewayConfig(tmp.dir, `gw-${site}`, {
        prefix: PREFIX,
        brokerUrl: edges[i]!.url,
        registry,
        // each gateway its own devices (one entrance each), so every accepted frame is distinct
        sim: {
          bands: 20,
          classrooms: 2,
          firstBandId: 1 + 20 * i,
          firstClassroomId: 100000 + 2 * i,
          rate: RATE,
          acceptedLog: logs[i],
        },
      });
      gateways.push(spawnCompiledGateway(config));
    });
    await Promise.all(gateways.map((g) => g.running));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await consumer?.close();
    await watcher?.close();
    for (const m of [...edges, central]) if (m) await disposeMosquitto(m);
    tmp.dispose();
  });

  it(
    "loses nothing: every accepted frame reaches the central consumer, in order per device",
    { timeout: (OUTAGE_S + 240) * 1000 },
    async () => {
      const state = () => watcher.other.get("liot/bridges/liot-edge-site1/state") ?? [];
      await until(() => state().at(-1) === "1", 20_000, "the bridge to connect");
      await until(() => consumer.envelopes.length >= 100, 20_000, "frames at the central broker");
      // MQTT 5 end to end: content type and user properties cross the bridge
      expect(consumer.envelopes[0]!.contentType).toBe("application/senml+cbor");
      expect(new Set(consumer.envelopes.map((e) => e.gateway))).toEqual(
        new Set(EDGES.map((s) => `gw-${s}`)),
      );

      await central.stop();
      const atStop = accepted().length;
      await until(() => state().at(-1) === "0", 30_000, "the bridge to notice the outage");
      await new Promise((r) => setTimeout(r, OUTAGE_S * 1000));
      const duringOutage = accepted().length - atStop;
      // the gateways kept accepting, and the edges held it all: far more than one default queue
      expect(duringOutage).toBeGreaterThan(EDGES.length * RATE * OUTAGE_S * 0.5);
      await central.start();

      await until(() => state().at(-1) === "1", 60_000, "the bridge to reconnect");
      await new Promise((r) => setTimeout(r, 2000));
      await Promise.all(gateways.map((g) => g.stop())); // clean stop: every accepted frame PUBACKed
      const all = new Set(accepted());
      const got = () => new Set(consumer.envelopes.map((e) => e.mid));
      await until(
        () => [...all].every((m) => got().has(m)),
        90_000,
        `all ${all.size} accepted frames at the central consumer (have ${got().size})`,
      );
      expect(all.size).toBeGreaterThan(duringOutage);
      expect(
        orderViolations(
          consumer.envelopes.map((e) => ({ topic: e.topic, mid: e.mid, counter: e.counter })),
        ),
      ).toEqual([]);
    },
  );
});

// Re-provisioning an ABP classroom node with new keys and the same DevAddr: the node starts
// counting at 1 again. `keys reprovision <deveui>` (run while the gateway is stopped) resets every
// counter the gateway keeps for it and starts a new message-id session, so the new frames are
// accepted and a consumer deduplicating by message id does not drop them as old ones.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  disposeMosquitto,
  freePort,
  startMosquitto,
  type Mosquitto,
} from "../../../test/support/mosquitto.js";
import { loadConfig } from "../../src/config/load.js";
import { startGateway } from "../../src/gateway.js";
import type { LoraSession } from "../../src/lorawan/session.js";
import { startConsumer, until, type Consumer } from "../support/consumer.js";
import { silent, tempDir } from "../support/gateway.js";
import {
  buildUplink,
  newSession,
  uplinkVectors,
  writeLoraRegistry,
} from "./support/lorawan-devices.js";
import { PacketForwarder, PUSH_ACK, rxpk } from "./support/packet-forwarder.js";
const READING = uplinkVectors.find((v) => v.fPort === 1)!.hex;
const GATEWAY = join(import.meta.dirname, "..", "..");

describe("keys reprovision <deveui>", () => {
  const tmp = tempDir("gw-reprovision-");
  let mosq: Mosquitto;
  let consumer: Consumer;
  let udpPort: number;
  const configFile = join(tmp.dir, "gw.yaml");
  const registryFile = join(tmp.dir, "registry.yaml");

  const writeRegistry = (dev: LoraSession) => writeLoraRegistry(registryFile, dev);

  /** `npm run gateway -- keys reprovision <eui> --config <configFile>`, from source. */
  const reprovision = (eui: string) =>
    spawnSync(
      process.execPath,
      [
        "--conditions=source",
        "--import",
        "tsx",
        "src/cli/main.ts",
        "keys",
        "reprovision",
        eui,
        "--config",
        configFile,
      ],
      { cwd: GATEWAY, encoding: "utf8" },
    );

  /** Runs a gateway, sends these counters, waits for each PUSH_ACK, stops it. */
  async function session(dev: LoraSession, counters: number[]) {
    const gw = await startGateway(loadConfig(configFile), silent);
    const pf = await PacketForwarder.open(udpPort);
    try {
      for (const fCnt of counters) {
        const token = await pf.push([rxpk(buildUplink(dev, { fCnt, payload: READING }))]);
        expect(await pf.reply(token, PUSH_ACK, 5000)).not.toBeNull();
      }
      await until(() => gw.outbox.depth === 0, 5000, "the outbox drained");
    } finally {
      await pf.close();
      await gw.stop();
    }
  }

  beforeAll(async () => {
    mosq = await startMosquitto();
    udpPort = await freePort();
    writeFileSync(
      configFile,
      stringify({
        gatewayId: "gw-test",
        topicPrefix: "t",
        stateDir: join(tmp.dir, "state"),
        registry: registryFile,
        broker: { mode: "external", url: mosq.url },
        metrics: { enabled: false },
        sources: { semtechUdp: { host: "127.0.0.1", port: udpPort } },
      }),
    );
    consumer = await startConsumer(mosq.url, "t");
  });

  afterAll(async () => {
    await consumer?.close();
    await disposeMosquitto(mosq);
    tmp.dispose();
  });

  it("resets every counter row and starts a new message-id session", async () => {
    const old = newSession();
    writeRegistry(old);
    await session(old, [1, 2, 100]);
    await until(() => consumer.received.length === 3, 5000, "the old session's frames");
    const oldIds = consumer.received.map((r) => r.mid);

    // New keys, same DevAddr and DevEUI, the node counts from 1 again.
    const renewed = { ...newSession(old.devAddr), devEui: old.devEui };
    writeRegistry(renewed);
    const cli = reprovision(old.devEui);
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/reset \d+ counter rows/);
    expect(cli.stdout).toMatch(/message-id session 1/);

    await session(renewed, [1, 2]);
    await until(() => consumer.received.length === 5, 5000, "the new session's frames");
    const fresh = consumer.received.slice(3);
    expect(fresh.map((r) => r.counter)).toEqual([1, 2]);
    for (const r of fresh) expect(oldIds).not.toContain(r.mid);
  });

  it("names the fix when the DevEUI is not valid or not registered", () => {
    const bad = reprovision("xyz");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/16 hex/);
    const unknown = reprovision("0011223344556677");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/not in the key registry/);
  });
});

// The real gateway process (CLI `start`) is killed with SIGKILL at random moments, 5 times, while
// the sim source streams. Afterwards every frame the gateway reported accepted was published at
// least once, first occurrences are in order per device, and redeliveries stay within the
// in-flight window per crash (at-least-once, consumers dedup by message id).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  disposeMosquitto,
  startMosquitto,
  type Mosquitto,
} from "../../../test/support/mosquitto.js";
import { orderViolations, startConsumer, until, type Consumer } from "../support/consumer.js";
import { tempDir, writeRegistry } from "../support/gateway.js";

const GATEWAY_DIR = fileURLToPath(new URL("../..", import.meta.url));
const KILLS = 5;
const IN_FLIGHT = 50;

function startProcess(config: string): {
  child: ChildProcess;
  running: Promise<void>;
  exited: Promise<number | null>;
  output: () => string;
} {
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "src/cli/main.ts", "start", "--config", config],
    {
      cwd: GATEWAY_DIR,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  let onRunning: () => void = () => undefined;
  const running = new Promise<void>((resolve, reject) => {
    onRunning = resolve;
    const t = setTimeout(
      () => reject(new Error("gateway did not start within 20 s:\n" + out)),
      20_000,
    );
    child.once("exit", () => clearTimeout(t));
  });
  const collect = (d: Buffer) => {
    out += d.toString();
    if (out.includes('"gateway running"')) onRunning();
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return { child, running, exited, output: () => out };
}

describe("gateway killed with SIGKILL", () => {
  let mosq: Mosquitto;
  let consumer: Consumer;
  const tmp = tempDir("gw-kill-");
  const acceptedLog = join(tmp.dir, "accepted.log");

  beforeAll(async () => {
    mosq = await startMosquitto();
    consumer = await startConsumer(mosq.url, "k");
  });
  afterAll(async () => {
    await consumer?.close();
    await disposeMosquitto(mosq);
    tmp.dispose();
  });

  const writeConfig = (simEnabled: boolean): string => {
    const path = join(tmp.dir, simEnabled ? "gw.yaml" : "drain.yaml");
    writeFileSync(
      path,
      stringify({
        gatewayId: "gw-kill",
        topicPrefix: "k",
        stateDir: join(tmp.dir, "state"),
        registry: writeRegistry(tmp.dir, 20, 5),
        broker: { mode: "external", url: mosq.url, reconnectMinMs: 200 },
        outbox: { inFlight: IN_FLIGHT },
        metrics: { enabled: false },
        log: { level: "info" },
        sources: { sim: { enabled: simEnabled, bands: 20, classrooms: 5, rate: 400, acceptedLog } },
      }),
    );
    return path;
  };

  it(`loses no accepted frame over ${KILLS} kill -9 restarts`, { timeout: 180_000 }, async () => {
    const config = writeConfig(true);
    for (let k = 0; k < KILLS; k++) {
      const p = startProcess(config);
      await p.running;
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 2000));
      p.child.kill("SIGKILL");
      expect(await p.exited).toBe(null);
    }
    const lines = readFileSync(acceptedLog, "utf8").split("\n");
    lines.pop(); // a line cut by the kill
    const accepted = new Set(lines.filter((l) => l.length > 0));
    expect(accepted.size).toBeGreaterThan(KILLS * 100);
    // restart without the sim: the gateway publishes what the outbox still holds
    const drain = startProcess(writeConfig(false));
    await drain.running;
    const ids = () => new Set(consumer.received.map((r) => r.mid));
    try {
      await until(
        () => [...accepted].every((m) => ids().has(m)),
        60_000,
        "every accepted frame at the consumer",
      );
    } finally {
      drain.child.kill("SIGTERM");
      await drain.exited;
    }
    expect(existsSync(join(tmp.dir, "state", "gateway.sqlite"))).toBe(true);
    expect(orderViolations(consumer.received)).toEqual([]);
    const unique = ids().size;
    const redelivered = consumer.received.length - unique;
    expect(redelivered).toBeLessThanOrEqual(KILLS * IN_FLIGHT);
  });
});

// Builds test configurations and in-process gateways with a silent logger and temp state (on a
// real Mosquitto: startGatewayOnMosquitto).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import pino from "pino";
import {
  disposeMosquitto,
  startMosquitto,
  type Mosquitto,
} from "../../../test/support/mosquitto.js";
import { resolveConfig } from "../../src/config/load.js";
import type { GatewayConfig } from "../../src/config/schema.js";
import { startGateway, type RunningGateway } from "../../src/gateway.js";

export const TEST_MASTER = "000102030405060708090a0b0c0d0e0f";

export function tempDir(prefix: string): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A registry file with `bands` bands from id 1 and `classrooms` classrooms from 100000. */
export function writeRegistry(dir: string, bands: number, classrooms: number): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "registry.yaml");
  writeFileSync(
    path,
    stringify({
      masterKey: TEST_MASTER,
      pseudonymScope: "test",
      ranges: [
        { kind: "band", first: 1, count: bands },
        { kind: "classroom", first: 100000, count: classrooms },
      ],
    }),
  );
  return path;
}

export function testConfig(dir: string, raw: Record<string, unknown>): GatewayConfig {
  return resolveConfig(
    {
      gatewayId: "gw-test",
      topicPrefix: "t",
      stateDir: join(dir, "state"),
      registry: writeRegistry(dir, 20, 5),
      metrics: { enabled: false },
      ...raw,
    },
    {},
  );
}

export const silent = pino({ level: "silent" });

/** A real Mosquitto and an in-process gateway on it (external broker), in a temp state dir. */
export interface GatewayOnMosquitto {
  gw: RunningGateway;
  mosq: Mosquitto;
  dir: string;
  stop(): Promise<void>;
}

/**
 * Starts Mosquitto and a gateway with testConfig(dir, {broker, ...config(dir)}); on a failure
 * halfway, what was started is stopped again before the error is thrown.
 */
export async function startGatewayOnMosquitto(
  prefix: string,
  config: (dir: string) => Record<string, unknown>,
): Promise<GatewayOnMosquitto> {
  const tmp = tempDir(prefix);
  let mosq: Mosquitto | undefined;
  try {
    mosq = await startMosquitto();
    const broker = { url: mosq.url, mode: "external" };
    const gw = await startGateway(testConfig(tmp.dir, { broker, ...config(tmp.dir) }), silent);
    const m = mosq;
    return {
      gw,
      mosq: m,
      dir: tmp.dir,
      stop: async () => {
        await gw.stop();
        await disposeMosquitto(m);
        tmp.dispose();
      },
    };
  } catch (e) {
    if (mosq) await disposeMosquitto(mosq);
    tmp.dispose();
    throw e;
  }
}

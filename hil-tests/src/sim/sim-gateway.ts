// The real gateway (gateway/src/gateway.ts), in-process, with its embedded broker on a free port
// and a registry holding the device under test. The simulated radio feeds it through `emit`, the
// same entry every source uses, with the world's virtual receive time.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import {
  configSchema,
  createLogger,
  startGateway,
  type RawFrame,
  type RunningGateway,
} from "@leiden-iot/gateway";

export type { RawFrame };

export interface SimGatewayOptions {
  masterKey: string;
  pseudonymScope: string;
  topicPrefix: string;
  devices: { id: number; kind: "band" | "classroom"; devEui?: string }[];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface SimGateway {
  gateway: RunningGateway;
  brokerUrl: string;
  metricsUrl: string;
  stop(): Promise<void>;
}

export async function startSimGateway(o: SimGatewayOptions): Promise<SimGateway> {
  const dir = mkdtempSync(join(tmpdir(), "hil-gateway-"));
  const registry = join(dir, "registry.yaml");
  writeFileSync(
    registry,
    stringify({
      masterKey: o.masterKey,
      pseudonymScope: o.pseudonymScope,
      devices: o.devices.map((d) => ({
        id: d.id,
        kind: d.kind,
        ...(d.devEui ? { lora: { devEui: d.devEui } } : {}),
      })),
    }),
  );
  const brokerPort = await freePort();
  const metricsPort = await freePort();
  const config = configSchema.parse({
    gatewayId: "gw-hil-sim",
    topicPrefix: o.topicPrefix,
    stateDir: dir,
    registry: registry,
    broker: { mode: "embedded", url: `mqtt://127.0.0.1:${brokerPort}` },
    metrics: { enabled: true, host: "127.0.0.1", port: metricsPort },
    log: { level: "silent" },
  });
  const gateway = await startGateway(config, createLogger("silent"));
  return {
    gateway: gateway,
    brokerUrl: gateway.brokerUrl,
    metricsUrl: gateway.metricsUrl ?? `http://127.0.0.1:${metricsPort}`,
    async stop() {
      await gateway.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

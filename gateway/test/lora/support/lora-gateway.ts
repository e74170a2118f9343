// The running gateway with both LoRa sources, as an operator runs it: semtech-udp on a free port
// and lns-mqtt (ChirpStack) on a real Mosquitto, one ABP classroom node in the key registry, a
// consumer of the gateway's topics and a test packet forwarder.
import { join } from "node:path";
import type { Logger } from "pino";
import {
  disposeMosquitto,
  freePort,
  startMosquitto,
  type Mosquitto,
} from "../../../../test/support/mosquitto.js";
import { startGateway, type RunningGateway } from "../../../src/gateway.js";
import type { LoraSession } from "../../../src/lorawan/session.js";
import { startConsumer, type Consumer } from "../../support/consumer.js";
import { silent, tempDir, testConfig } from "../../support/gateway.js";
import { writeLoraRegistry } from "./lorawan-devices.js";
import { PacketForwarder } from "./packet-forwarder.js";

export interface LoraGateway {
  mosq: Mosquitto;
  gw: RunningGateway;
  consumer: Consumer;
  pf: PacketForwarder;
  stop(): Promise<void>;
}

export async function startLoraGateway(o: {
  /** Temp dir prefix. */
  prefix: string;
  /** The node in the registry. */
  dev: LoraSession;
  /** The lns-mqtt source's MQTT client id. */
  lnsClientId: string;
  log?: Logger;
  /** More gateway configuration (metrics, ...). */
  config?: Record<string, unknown>;
}): Promise<LoraGateway> {
  const tmp = tempDir(o.prefix);
  const mosq = await startMosquitto();
  let gw: RunningGateway | undefined;
  let consumer: Consumer | undefined;
  const stop = async (pf?: PacketForwarder) => {
    await pf?.close();
    await consumer?.close();
    await gw?.stop();
    await disposeMosquitto(mosq);
    tmp.dispose();
  };
  try {
    const registry = writeLoraRegistry(join(tmp.dir, "lora-registry.yaml"), o.dev);
    const udpPort = await freePort();
    gw = await startGateway(
      testConfig(tmp.dir, {
        registry,
        broker: { mode: "external", url: mosq.url },
        ...o.config,
        sources: {
          semtechUdp: { host: "127.0.0.1", port: udpPort },
          lnsMqtt: { flavour: "chirpstack", url: mosq.url, clientId: o.lnsClientId },
        },
      }),
      o.log ?? silent,
    );
    consumer = await startConsumer(mosq.url, "t");
    const pf = await PacketForwarder.open(udpPort);
    return { mosq, gw, consumer, pf, stop: () => stop(pf) };
  } catch (e) {
    await stop();
    throw e;
  }
}

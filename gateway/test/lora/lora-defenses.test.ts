// The LoRa sources' defences as an operator sees them in the running gateway (registry file,
// pipeline, SQLite outbox, real Mosquitto, /metrics): every rejection of every source is counted
// under one labelled metric, the LNS path bounds counter jumps like the UDP path, and log lines
// carry one "source" key and name no DevEUI above debug level.
import { Writable } from "node:stream";
import mqtt from "mqtt";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type Mosquitto } from "../../../test/support/mosquitto.js";
import type { RunningGateway } from "../../src/gateway.js";
import type { LnsMqttSource } from "../../src/sources/lns-mqtt/source.js";
import { until, type Consumer } from "../support/consumer.js";
import { bytes, CHIRPSTACK_TOPIC, chirpstackUplink } from "./support/lns-fixtures.js";
import { buildUplink, newSession, uplinkVectors } from "./support/lorawan-devices.js";
import { startLoraGateway, type LoraGateway } from "./support/lora-gateway.js";
import {
  header,
  PULL_ACK,
  PUSH_ACK,
  rxpk,
  type PacketForwarder,
} from "./support/packet-forwarder.js";

/** Every log line the gateway writes, raw (to see duplicate keys) and parsed. */
function captureLog(level: string) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split("\n")) if (l) lines.push(l);
      cb();
    },
  });
  return { lines, log: pino({ level }, stream) };
}

function metricValue(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split("\n")) {
    if (!line.startsWith(name + "{")) continue;
    const body = line.slice(name.length + 1, line.indexOf("}"));
    const got = Object.fromEntries(
      body.split(",").map((kv) => {
        const [k, v] = kv.split("=");
        return [k, JSON.parse(v!) as string];
      }),
    );
    if (Object.entries(labels).every(([k, v]) => got[k] === v))
      return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return 0;
}

describe("LoRa defences in the running gateway", () => {
  const dev = newSession();
  const reading = uplinkVectors.find((v) => v.fPort === 1)!;
  const logs = captureLog("info");
  let rig: LoraGateway;
  let mosq: Mosquitto;
  let gw: RunningGateway;
  let consumer: Consumer;
  let pf: PacketForwarder;

  beforeAll(async () => {
    rig = await startLoraGateway({
      prefix: "gw-lora-defences-",
      dev,
      lnsClientId: "defences-lns",
      log: logs.log,
      config: { metrics: { enabled: true, host: "127.0.0.1", port: await freePort() } },
    });
    ({ mosq, gw, consumer, pf } = rig);
    if (gw.sources.length < 2) throw new Error(logs.lines.join("\n"));
    await until(() => gw.sources[1]!.health().state === "running", 5000, "lns-mqtt subscribed");
  });

  afterAll(async () => {
    await rig?.stop();
  });

  const scrape = async () => (await fetch(gw.metricsUrl + "/metrics")).text();
  const lns = () => gw.sources[1] as LnsMqttSource;

  async function publishLns(payload: Uint8Array) {
    const handled = () => {
      const s = lns().stats();
      return (
        s.dispositions.accepted +
        s.dispositions.duplicate +
        s.dispositions.rejected +
        Object.values(s.rejections).reduce((a, b) => a + b, 0)
      );
    };
    const was = handled();
    const c = await mqtt.connectAsync(mosq.url);
    await c.publishAsync(CHIRPSTACK_TOPIC, Buffer.from(payload), { qos: 1 });
    await c.endAsync();
    await until(() => handled() > was, 5000, "the LNS message handled");
  }

  function chirpstack(fCnt: number) {
    const cs = chirpstackUplink();
    Object.assign(cs.deviceInfo as object, { devEui: dev.devEui });
    Object.assign(cs, { devAddr: dev.devAddr, fCnt, fPort: 1 });
    Object.assign(cs, { data: Buffer.from(reading.hex, "hex").toString("base64") });
    return bytes(cs);
  }

  it("counts every rejection of every source under liot_frames_rejected_total{source,reason}", async () => {
    const forged = buildUplink(dev, {
      fCnt: 5,
      payload: reading.hex,
      nwkSKey: new Uint8Array(16).fill(7),
    });
    for (let i = 0; i < 3; i++) {
      const token = await pf.push([rxpk(forged)]);
      expect(await pf.reply(token, PUSH_ACK, 5000)).not.toBeNull();
    }
    const badBase64 = await pf.push([{ ...rxpk(forged), data: "not base64!" }]);
    expect(await pf.reply(badBase64, PUSH_ACK, 5000)).not.toBeNull();
    await publishLns(new TextEncoder().encode("{not json"));
    const csBadBase64 = chirpstackUplink();
    Object.assign(csBadBase64, { data: "@@@" });
    await publishLns(bytes(csBadBase64));

    const m = await scrape();
    const rej = (source: string, reason: string) =>
      metricValue(m, "liot_frames_rejected_total", { source, reason });
    expect(rej("semtech-udp", "bad_mic")).toBe(3);
    expect(rej("semtech-udp", "bad_base64")).toBe(1);
    expect(rej("lns-mqtt", "bad_json")).toBe(1);
    expect(rej("lns-mqtt", "bad_base64")).toBe(1);
    // "packet forwarder seen" is in /metrics too, not only in /healthz.
    expect(m).toMatch(/# HELP liot_packet_forwarders packet forwarders? seen/);
  });

  it("bounds LNS counter jumps like the UDP path: FCnt 2^32-1 is rejected, later genuine frames pass", async () => {
    await publishLns(chirpstack(10));
    await until(() => consumer.received.some((r) => r.counter === 10), 5000, "FCnt 10");
    await publishLns(chirpstack(0xffffffff));
    await publishLns(chirpstack(11));
    await until(() => consumer.received.some((r) => r.counter === 11), 5000, "FCnt 11 published");
    expect(consumer.received.some((r) => r.counter === 0xffffffff)).toBe(false);
    const m = await scrape();
    expect(
      metricValue(m, "liot_frames_rejected_total", { source: "lns-mqtt", reason: "fcnt_gap" }),
    ).toBe(1);
  });

  it("logs one source key per line and names no DevEUI above debug level", async () => {
    // An unknown DevEUI through the LNS (pipeline rejection) and a forged frame over UDP.
    const cs = chirpstackUplink();
    Object.assign(cs.deviceInfo as object, { devEui: "00112233445566ff" });
    await publishLns(bytes(cs));
    const t = pf.token();
    await pf.send(header(2, t, 0x02, pf.eui));
    expect(await pf.reply(t, PULL_ACK, 5000)).not.toBeNull();
    expect(logs.lines.length).toBeGreaterThan(3);
    for (const line of logs.lines) {
      expect(line.match(/"source":/g)?.length ?? 0, line).toBeLessThanOrEqual(1);
      expect(line.toLowerCase(), line).not.toContain(dev.devEui);
      expect(line.toLowerCase(), line).not.toContain("00112233445566ff");
    }
    expect(logs.lines.some((l) => l.includes("rejected"))).toBe(true);
  });
});

// The lns-mqtt source against a real Mosquitto: TTS and ChirpStack uplink JSON published to the
// broker comes out as RawFrames; malformed JSON is counted; a failed store is redelivered.
import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  disposeMosquitto,
  startMosquitto,
  type Mosquitto,
} from "../../../test/support/mosquitto.js";
import { lnsMqttSchema as lnsMqttConfigSchema } from "../../src/config/schema.js";
import { LnsMqttSource } from "../../src/sources/lns-mqtt/source.js";
import { parseLnsUplink } from "../../src/sources/lns-mqtt/uplink.js";
import type { Disposition, RawFrame } from "../../src/sources/source.js";
import {
  bytes,
  CHIRPSTACK_TOPIC,
  chirpstackUplink,
  TTS_TOPIC,
  ttsUplink,
} from "./support/lns-fixtures.js";
import { makeCerts } from "../support/test-certs.js";

async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function publish(url: string, topic: string, payload: Uint8Array | string, opts = {}) {
  const c = await mqtt.connectAsync(url, opts);
  await c.publishAsync(topic, Buffer.from(payload), { qos: 1 });
  await c.endAsync();
}

const sources: LnsMqttSource[] = [];
afterEach(async () => {
  for (const s of sources.splice(0)) await s.stop();
});

function recorder(behaviour?: (f: RawFrame) => Promise<Disposition>) {
  const frames: RawFrame[] = [];
  const emit = async (f: RawFrame): Promise<Disposition> => {
    frames.push(f);
    return behaviour ? behaviour(f) : { status: "accepted", messageId: String(f.lora!.fCnt) };
  };
  return { frames, emit };
}

describe("lns-mqtt against Mosquitto", () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await disposeMosquitto(broker);
  });

  async function source(
    config: Record<string, unknown>,
    emit: (f: RawFrame) => Promise<Disposition>,
  ) {
    const s = new LnsMqttSource({
      config: lnsMqttConfigSchema.parse({ url: broker.url, ...config }),
      reconnectMs: 100,
    });
    sources.push(s);
    await s.start(emit);
    await s.whenSubscribed();
    return s;
  }

  it("emits TTS v3 uplinks from v3/<app>@<tenant>/devices/+/up, and only those", async () => {
    const r = recorder();
    const topic = "v3/meet-de-klas@ttn/devices/+/up";
    const s = await source({ flavour: "ttn", topic }, r.emit);
    expect(s.topic).toBe(topic);
    await publish(broker.url, "v3/other-app@ttn/devices/klas-4b-co2/up", bytes(ttsUplink()));
    await publish(broker.url, TTS_TOPIC, bytes(ttsUplink()));
    await waitFor("one frame", () => r.frames.length === 1);
    const expected = parseLnsUplink("ttn", TTS_TOPIC, bytes(ttsUplink()), Date.now());
    expect(expected.ok && r.frames[0]).toEqual(expected.ok && expected.value);
    expect(r.frames[0]!.lora).toMatchObject({ devEui: "0004a30b00f1c2d3", fCnt: 42, fPort: 1 });
    expect(s.health()).toMatchObject({ name: "lns-mqtt", state: "running", framesIn: 1 });
  });

  it("emits ChirpStack v4 uplinks from application/+/device/+/event/up", async () => {
    const r = recorder();
    const s = await source({ flavour: "chirpstack" }, r.emit);
    await publish(broker.url, CHIRPSTACK_TOPIC.replace(/up$/, "status"), "{}");
    await publish(broker.url, CHIRPSTACK_TOPIC, bytes(chirpstackUplink()));
    await waitFor("one frame", () => r.frames.length === 1);
    expect(r.frames[0]).toMatchObject({
      source: "lns-mqtt",
      rssi: -87,
      lora: { devEui: "0004a30b00f1c2e4", devAddr: "01fe4c2a", fCnt: 1207, fPort: 3 },
    });
    expect(s.stats().dispositions.accepted).toBe(1);
  });

  it("rejects malformed JSON with its reason and keeps going", async () => {
    const r = recorder();
    const s = await source({ flavour: "chirpstack" }, r.emit);
    const broken = chirpstackUplink();
    delete (broken.deviceInfo as Record<string, unknown>).devEui;
    await publish(broker.url, CHIRPSTACK_TOPIC, "{not json");
    await publish(broker.url, CHIRPSTACK_TOPIC, bytes(broken));
    await publish(broker.url, CHIRPSTACK_TOPIC, bytes({ ...chirpstackUplink(), fPort: 0 }));
    await publish(broker.url, CHIRPSTACK_TOPIC, bytes(chirpstackUplink()));
    await waitFor("the valid frame", () => r.frames.length === 1);
    expect(s.stats()).toMatchObject({
      messages: 4,
      framesIn: 1,
      rejections: { bad_json: 1, bad_schema: 1, no_payload: 1 },
    });
  });

  for (const [how, failure] of [
    ["throws", () => Promise.reject(new Error("outbox disk full"))],
    [
      "reports store_failed",
      async (): Promise<Disposition> => ({
        status: "rejected",
        reason: "store_failed",
        detail: "SQLITE_FULL",
      }),
    ],
  ] as const)
    it(`does not acknowledge a frame whose store ${how}: the broker delivers it again`, async () => {
      let failures = 1;
      const r = recorder(async (f) => {
        if (failures-- > 0) return failure();
        return { status: "accepted", messageId: String(f.lora!.fCnt) };
      });
      // one case with the default client id: the session must be persistent without configuration
      const s = await source(
        how === "throws"
          ? { flavour: "chirpstack" }
          : { flavour: "chirpstack", clientId: `lns-redelivery-${how}` },
        r.emit,
      );
      await publish(broker.url, CHIRPSTACK_TOPIC, bytes(chirpstackUplink()));
      await waitFor("the redelivered frame", () => s.stats().dispositions.accepted === 1);
      expect(r.frames.map((f) => f.lora!.fCnt)).toEqual([1207, 1207]);
      expect(s.stats()).toMatchObject({ storeFailures: 1, connects: 2 });
      expect(s.health().state).toBe("running");
    });
});

describe("lns-mqtt with password authentication and TLS", () => {
  let broker: Mosquitto;
  let certs: string;
  beforeAll(async () => {
    const plain = await startMosquitto(); // only to get a temp dir for the files
    certs = plain.dir;
    await plain.stop();
    const tls = makeCerts(certs);
    const passwd = join(certs, "passwd");
    writeFileSync(passwd, "");
    execFileSync("mosquitto_passwd", ["-b", passwd, "meet-de-klas@ttn", "NNSXS.TESTKEY"]);
    // Mosquitto started as root drops to its own user before reading these files.
    chmodSync(certs, 0o755);
    for (const f of ["passwd", "ca.crt", "server.crt", "server.key"])
      chmodSync(join(certs, f), 0o644);
    broker = await startMosquitto({
      allowAnonymous: false,
      listenerConfig: [
        `password_file ${passwd}`,
        `cafile ${tls.ca}`,
        `certfile ${tls.cert}`,
        `keyfile ${tls.key}`,
      ],
    });
  });
  afterAll(async () => {
    if (broker) await disposeMosquitto(broker);
  });

  const base = () => ({
    url: `mqtts://127.0.0.1:${broker.port}`,
    flavour: "ttn",
    username: "meet-de-klas@ttn",
    tls: { ca: join(certs, "ca.crt") },
  });
  const tlsClient = () => ({
    ca: [readFileSync(join(certs, "ca.crt"))],
    username: "meet-de-klas@ttn",
    password: "NNSXS.TESTKEY",
  });

  it("connects over TLS with username and API key and receives uplinks", async () => {
    const r = recorder();
    const s = new LnsMqttSource({
      config: lnsMqttConfigSchema.parse({ ...base(), password: "NNSXS.TESTKEY" }),
      reconnectMs: 100,
    });
    sources.push(s);
    await s.start(r.emit);
    await s.whenSubscribed();
    await publish(`mqtts://127.0.0.1:${broker.port}`, TTS_TOPIC, bytes(ttsUplink()), tlsClient());
    await waitFor("one frame", () => r.frames.length === 1);
    expect(r.frames[0]!.lora!.devEui).toBe("0004a30b00f1c2d3");
  });

  it("reports wrong credentials clearly and keeps retrying", async () => {
    const s = new LnsMqttSource({
      config: lnsMqttConfigSchema.parse({ ...base(), password: "NNSXS.WRONG" }),
      reconnectMs: 100,
    });
    sources.push(s);
    await s.start(recorder().emit);
    await waitFor("a degraded health", () => s.health().state === "degraded");
    expect(s.health().detail).toMatch(/Not authorized.*check lnsMqtt\.username and password/);
  });

  it("refuses a server its CA does not vouch for", async () => {
    const s = new LnsMqttSource({
      config: lnsMqttConfigSchema.parse({ ...base(), password: "NNSXS.TESTKEY", tls: {} }),
      reconnectMs: 100,
    });
    sources.push(s);
    await s.start(recorder().emit);
    await waitFor("a degraded health", () => s.health().state === "degraded");
    expect(s.health().detail).toMatch(/tls\.ca/);
  });
});

describe("lns-mqtt config (sources.lnsMqtt)", () => {
  it("derives the default topic per flavour and keeps an explicit one", () => {
    const topic = (c: Record<string, unknown>) =>
      new LnsMqttSource({ config: lnsMqttConfigSchema.parse({ url: "mqtt://x", ...c }) }).topic;
    expect(topic({ flavour: "ttn" })).toBe("v3/+/devices/+/up");
    expect(topic({ flavour: "chirpstack" })).toBe("application/+/device/+/event/up");
    expect(topic({ flavour: "ttn", topic: "v3/a@ttn/devices/+/up" })).toBe("v3/a@ttn/devices/+/up");
  });
});

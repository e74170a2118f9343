// The gateway observer against a real Mosquitto: without the master key it learns the device's
// pseudonym from an envelope whose counter and steps match an advert heard on air, keeps only
// that device's envelopes, and an absent broker or metrics endpoint is NOT RUN.
import {
  cmacKey,
  deviceKeys,
  envelopeTopic,
  fromHex,
  nodeAes128,
  type EnvelopeKind,
} from "@leiden-iot/protocol";
import mqtt from "mqtt";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  disposeMosquitto,
  freePort,
  startMosquitto,
  type Mosquitto,
} from "../../test/support/mosquitto.js";
import { AirLog } from "../src/observe/air-log.js";
import { MqttObserver } from "../src/observe/mqtt-observer.js";
import { NotRunError } from "../src/scenario/types.js";

interface V {
  hex: string;
  deviceKey: string;
  decoded: { steps?: number; backlog?: { daysAgo: number; steps: number } | null };
  envelope: { pseudonym: string; topicKind: EnvelopeKind; cbor: string };
}
const vectors = (f: string) =>
  (
    JSON.parse(readFileSync(new URL(`../../protocol/vectors/${f}`, import.meta.url), "utf8")) as {
      valid: V[];
    }
  ).valid;
const band = vectors("band-advert.json");
const classroom = vectors("classroom-advert.json");

let broker: Mosquitto;
beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await disposeMosquitto(broker);
});

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("MqttObserver", () => {
  it("learns the pseudonym from an advert heard on air and keeps only that device", async () => {
    const mine = band[0]!;
    const other = classroom[0]!; // another device, another pseudonym
    const air = new AirLog(
      cmacKey(nodeAes128, deviceKeys(nodeAes128, fromHex(mine.deviceKey)!).mac),
    );
    const obs = new MqttObserver({ url: broker.url, topicPrefix: "leiden/gw", air, now: Date.now });
    await obs.start();
    const pub = await mqtt.connectAsync(broker.url);
    for (const v of [other, mine])
      await pub.publishAsync(
        envelopeTopic("leiden/gw", v.envelope.topicKind, v.envelope.pseudonym),
        Buffer.from(v.envelope.cbor, "hex"),
        { qos: 1 },
      );
    for (let i = 0; i < 100 && obs.received() < 2; i++) await wait(20);
    expect(obs.received()).toBe(2);
    expect(obs.messages()).toEqual([]); // nothing heard on air yet: whose is it?
    air.offer({ at: Date.now(), manufacturerData: Buffer.from("9005" + mine.hex, "hex") });
    expect(obs.messages().map((m) => m.pseudonym)).toEqual([mine.envelope.pseudonym]);
    // The vector's decoded advert, as the observer read it back from the gateway's envelope.
    expect(mine.decoded.steps).toBeGreaterThan(0);
    expect(obs.messages()[0]!.band!.days.map((d) => d.steps)).toEqual([mine.decoded.steps]);
    expect(await obs.rejections()).toBeNull();
    await pub.endAsync();
    await obs.stop();
  });

  it("an absent broker and an absent metrics endpoint are NOT RUN", async () => {
    const port = await freePort();
    const air = new AirLog(cmacKey(nodeAes128, new Uint8Array(16)));
    const absent = new MqttObserver({
      url: `mqtt://127.0.0.1:${port}`,
      topicPrefix: "x",
      air,
      now: Date.now,
    });
    const err = await absent.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotRunError);
    expect((err as NotRunError).fix).toMatch(/gateway\.broker/);
    const noMetrics = new MqttObserver({
      url: broker.url,
      topicPrefix: "x",
      air,
      now: Date.now,
      metricsUrl: `http://127.0.0.1:${port}`,
    });
    const e2 = await noMetrics.rejections().catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(NotRunError);
    expect((e2 as NotRunError).fix).toMatch(/metricsUrl/);
  }, 20_000);
});

// Many gateways, one region (a): three real gateway processes hear overlapping parts of the same
// band and classroom adverts (each replays what its radio heard, repeats included) and publish
// into one Mosquitto. A consumer that deduplicates by message id sees exactly one record per
// (device, counter) for every frame some gateway heard, and nothing else; so does a group of two
// consumers sharing the load through an MQTT 5 shared subscription ($share/...) and writing into
// one SQLite table keyed on the message id, the way consumers scale out.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import {
  derivePseudonymKey,
  fromHex,
  nodeAes128,
  pseudonymOf,
  toHex,
  topicFilters,
} from "@leiden-iot/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  disposeMosquitto,
  startMosquitto,
  type Mosquitto,
} from "../../../test/support/mosquitto.js";
import { SimFleet } from "../../src/sources/sim/fleet.js";
import { until } from "../support/consumer.js";
import { TEST_MASTER, tempDir, writeRegistry } from "../support/gateway.js";
import { assertBuilt, spawnCompiledGateway, type GatewayProcess } from "../install/compiled.js";
import { startRecorder, writeGatewayConfig, type Envelope, type Recorder } from "./region.js";

const PREFIX = "region";
const BANDS = 24;
const CLASSROOMS = 6;
const FRAMES_PER_DEVICE = 30;

/** Which devices each gateway's radio reaches, and which of their frames it misses. */
const HEARING: Record<string, (id: number, frameIndex: number) => boolean> = {
  // the school's main entrance: bands 1-12, classrooms 100000-100003
  "gw-a": (id) => (id >= 1 && id <= 12) || (id >= 100000 && id <= 100003),
  // the side entrance: bands 9-20, classrooms 100002-100004
  "gw-b": (id) => (id >= 9 && id <= 20) || (id >= 100002 && id <= 100004),
  // the workplace across the street: everyone (bands 21-24 and classroom 100005 only here), but it
  // misses about a third of the adverts
  "gw-c": (_id, i) => (i * 2654435761) % 97 >= 33,
};

describe("three gateways hearing the same bands, one broker", () => {
  const tmp = tempDir("gw-region-");
  let mosq: Mosquitto;
  let single: Recorder;
  const group: Recorder[] = [];
  const gateways: GatewayProcess[] = [];
  const expected = new Set<string>(); // "pseudonym#counter" heard by at least one gateway
  let copiesPublished = 0; // distinct frames per gateway, summed: what reaches the broker
  let heardByAll = "";
  const db = new Database(join(tmp.dir, "consumers.sqlite"));
  const inserted = [0, 0];

  beforeAll(async () => {
    assertBuilt();
    mosq = await startMosquitto();
    const registry = writeRegistry(tmp.dir, BANDS, CLASSROOMS);
    const master = fromHex(TEST_MASTER)!;
    const pseudonymKey = derivePseudonymKey(nodeAes128, master, "test");
    const fleet = new SimFleet({
      masterKey: master,
      bands: BANDS,
      classrooms: CLASSROOMS,
      firstBandId: 1,
      firstClassroomId: 100000,
      counterBase: 5000,
    });
    const t0 = Date.now() / 1000 - 90;
    const logs: Record<string, string[]> = { "gw-a": [], "gw-b": [], "gw-c": [] };
    const n = (BANDS + CLASSROOMS) * FRAMES_PER_DEVICE;
    for (let i = 0; i < n; i++) {
      const f = fleet.frame(t0 + i * 0.05);
      const kind = f.deviceId >= 100000 ? "classroom" : "band";
      const key = `${pseudonymOf(nodeAes128, pseudonymKey, f.deviceId)}#${f.counter}`;
      const line = JSON.stringify({
        t: f.frame.receivedAt,
        channel: "ble",
        device: `${kind}-${f.deviceId}`,
        data: toHex(f.frame.ble!.data),
        rssi: f.frame.rssi,
      });
      const heardBy = Object.keys(logs).filter((gw) => HEARING[gw]!(f.deviceId, i));
      for (const gw of heardBy) {
        // a radio hears an advert once or twice (repeats are duplicates to the gateway)
        const repeats = (i + gw.charCodeAt(3)) % 3 === 0 ? 2 : 1;
        for (let r = 0; r < repeats; r++) logs[gw]!.push(line);
        copiesPublished++;
      }
      if (heardBy.length > 0) expected.add(key);
      if (heardBy.length === 3 && heardByAll === "") heardByAll = key;
    }
    expect(expected.size).toBeLessThan(n); // some adverts nobody heard
    // consumers: one that dedups in memory, and a shared-subscription group writing to SQLite
    const f = topicFilters(PREFIX);
    single = await startRecorder(mosq.url, [f.bands, f.classrooms]);
    db.pragma("journal_mode = WAL");
    db.exec(
      "CREATE TABLE reading (mid TEXT PRIMARY KEY, device TEXT NOT NULL, counter INTEGER NOT NULL, gateway TEXT)",
    );
    for (const member of [0, 1]) {
      const conn = new Database(join(tmp.dir, "consumers.sqlite")); // one connection per worker
      const insert = conn.prepare(
        "INSERT OR IGNORE INTO reading (mid, device, counter, gateway) VALUES (?, ?, ?, ?)",
      );
      group.push(
        await startRecorder(mosq.url, [`$share/store/${f.bands}`, `$share/store/${f.classrooms}`], {
          onEnvelope: (e: Envelope) => {
            inserted[member]! += insert.run(e.mid, e.device, e.counter, e.gateway ?? null).changes;
          },
        }),
      );
    }
    for (const [gw, lines] of Object.entries(logs)) {
      const replay = join(tmp.dir, `${gw}.ndjson`);
      writeFileSync(replay, lines.join("\n") + "\n");
      const config = writeGatewayConfig(tmp.dir, gw, {
        prefix: PREFIX,
        brokerUrl: mosq.url,
        registry,
        sim: { replay },
      });
      gateways.push(spawnCompiledGateway(config));
    }
    await Promise.all(gateways.map((g) => g.running));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    for (const r of [single, ...group]) await r?.close();
    db.close();
    if (mosq) await disposeMosquitto(mosq);
    tmp.dispose();
  });

  const pairsOf = (es: { device: string; counter: number }[]): string[] =>
    es.map((e) => `${e.device}#${e.counter}`).sort();

  it(
    "a consumer deduplicating by message id sees each heard (device, counter) exactly once",
    { timeout: 90_000 },
    async () => {
      await until(
        () => single.envelopes.length >= copiesPublished,
        60_000,
        `${copiesPublished} copies from the three gateways`,
      ).catch((e: Error) => {
        // say how far each gateway got: its last log lines (rejections, broker trouble)
        const tails = gateways.map(
          (g, i) => `gw ${i}:\n` + g.output().split("\n").slice(-8).join("\n"),
        );
        throw new Error(`${e.message} (got ${single.envelopes.length})\n${tails.join("\n")}`);
      });
      const byMid = new Map<string, Envelope>();
      for (const e of single.envelopes) if (!byMid.has(e.mid)) byMid.set(e.mid, e);
      expect(pairsOf([...byMid.values()])).toEqual([...expected].sort());
      // the gateways really did publish the same frames several times, each under its own name
      expect(single.envelopes.length).toBeGreaterThan(expected.size * 1.5);
      const [device, counter] = heardByAll.split("#");
      const copies = single.envelopes.filter(
        (e) => e.device === device && e.counter === Number(counter),
      );
      expect(new Set(copies.map((c) => c.mid)).size).toBe(1);
      expect(copies.map((c) => c.gateway).sort()).toEqual(["gw-a", "gw-b", "gw-c"]);
      expect(copies.every((c) => c.contentType === "application/senml+cbor")).toBe(true);
    },
  );

  it(
    "a $share group writing to one table keyed on the message id stores each exactly once",
    { timeout: 60_000 },
    async () => {
      await until(
        () => group[0]!.envelopes.length + group[1]!.envelopes.length >= copiesPublished,
        30_000,
        "every copy at the shared-subscription group",
      );
      // each copy went to one member only: the group shares the load
      expect(group[0]!.envelopes.length + group[1]!.envelopes.length).toBe(single.envelopes.length);
      expect(group[0]!.envelopes.length).toBeGreaterThan(copiesPublished / 4);
      expect(group[1]!.envelopes.length).toBeGreaterThan(copiesPublished / 4);
      // a frame's copies from different gateways reached both members; the key kept one
      const both = new Set(group[0]!.envelopes.map((e) => e.mid));
      expect(group[1]!.envelopes.some((e) => both.has(e.mid))).toBe(true);
      const rows = db.prepare("SELECT device, counter FROM reading").all() as Envelope[];
      expect(pairsOf(rows)).toEqual([...expected].sort());
      expect(inserted[0]! + inserted[1]!).toBe(expected.size);
    },
  );
});

// The semtech-udp source over a real UDP socket on loopback, against a test packet forwarder
// that sends PHYPayloads built with lora-packet from the protocol's uplink vectors.
import { decodeUplink } from "@leiden-iot/protocol";
import { describe, expect, it } from "vitest";
import type { Disposition } from "../../src/sources/source.js";
import {
  buildJoinRequest,
  buildUplink,
  newSession,
  uplinkVectors,
} from "./support/lorawan-devices.js";
import { header, pushData, rxpk } from "./support/packet-forwarder.js";
import {
  closeHarness,
  harness,
  PULL_ACK,
  PUSH_ACK,
  pushOne,
  useSemtechHarness,
} from "./support/semtech-harness.js";

const READING = uplinkVectors.find((v) => v.fPort === 1)!.hex;

useSemtechHarness();

describe("semtech-udp: uplinks from the protocol vectors", () => {
  it("verifies, decrypts and emits every vector with its radio metadata", async () => {
    const dev = newSession();
    const h = await harness([dev]);
    const time = new Date().toISOString();
    const rx = uplinkVectors.map((v, i) =>
      rxpk(buildUplink(dev, { fCnt: i, fPort: v.fPort, payload: v.hex }), {
        rssi: -100 - i,
        lsnr: -2.5,
        freq: 867.1,
        datr: "SF10BW125",
        time,
      }),
    );
    const token = await h.pf.push(rx);
    expect(await h.pf.reply(token, PUSH_ACK)).not.toBeNull();
    expect(h.frames).toHaveLength(uplinkVectors.length);
    uplinkVectors.forEach((v, i) => {
      const f = h.frames[i]!;
      expect(f).toMatchObject({
        source: "semtech-udp",
        channel: "lora",
        rssi: -100 - i,
        snr: -2.5,
        receivedAt: Date.parse(time) / 1000,
      });
      expect(f.lora).toMatchObject({
        devEui: dev.devEui,
        devAddr: dev.devAddr,
        fCnt: i,
        fPort: v.fPort,
        dataRate: "SF10BW125",
        frequency: 867_100_000,
        radioGatewayId: h.pf.eui,
      });
      expect(Buffer.from(f.lora!.payload).toString("hex")).toBe(v.hex);
      const decoded = decodeUplink(f.lora!.fPort, f.lora!.payload);
      expect(decoded).toEqual({ ok: true, value: v.decoded });
    });
    expect(h.fcnt.last(dev.devEui)?.fCnt).toBe(uplinkVectors.length - 1);
    expect(h.source.stats().dispositions.accepted).toBe(uplinkVectors.length);
  });

  it("tells sessions sharing a DevAddr apart by their MIC", async () => {
    const a = newSession("26011111");
    const b = newSession("26011111");
    const h = await harness([a, b]);
    expect(await pushOne(h, buildUplink(b, { fCnt: 3, payload: READING }))).not.toBeNull();
    expect(h.frames.map((f) => f.lora!.devEui)).toEqual([b.devEui]);
  });

  it("uses the receive time of this gateway when the forwarder's clock is far off", async () => {
    const dev = newSession();
    const h = await harness([dev]);
    const before = Date.now() / 1000;
    const token = await h.pf.push([
      rxpk(buildUplink(dev, { fCnt: 1, payload: READING }), { time: "2001-01-01T00:00:00Z" }),
    ]);
    await h.pf.reply(token, PUSH_ACK);
    expect(h.frames[0]!.receivedAt).toBeGreaterThanOrEqual(before);
    expect(h.frames[0]!.receivedAt).toBeLessThanOrEqual(Date.now() / 1000);
  });
});

describe("semtech-udp: PUSH_ACK only after the frame is safely stored", () => {
  it("acknowledges only after every emit of the datagram has resolved", async () => {
    const dev = newSession();
    const h = await harness([dev]);
    const events: string[] = [];
    h.behaviour = async (f) => {
      events.push(`store ${f.lora!.fCnt}`);
      await new Promise((r) => setTimeout(r, 150));
      events.push(`stored ${f.lora!.fCnt}`);
      return { status: "accepted", messageId: String(f.lora!.fCnt) };
    };
    const token = await h.pf.push([
      rxpk(buildUplink(dev, { fCnt: 1, payload: READING })),
      rxpk(buildUplink(dev, { fCnt: 2, payload: READING })),
    ]);
    // While the slow store is still busy, no acknowledgement may arrive.
    expect(await h.pf.reply(token, PUSH_ACK, 200)).toBeNull();
    const ack = await h.pf.reply(token, PUSH_ACK);
    expect(ack).not.toBeNull();
    events.push("ack");
    expect(events).toEqual(["store 1", "stored 1", "store 2", "stored 2", "ack"]);
    expect(ack!.bytes).toEqual(header(2, token, PUSH_ACK));
  });

  // The gateway's emit reports a failed outbox write as rejected/store_failed; a throw is the same.
  const failures: [string, () => Promise<Disposition>][] = [
    ["throws", async () => Promise.reject(new Error("outbox disk full"))],
    [
      "reports store_failed",
      async () => ({ status: "rejected", reason: "store_failed", detail: "SQLITE_FULL" }),
    ],
  ];
  for (const [how, failing] of failures)
    it(`does not acknowledge nor advance the counter when storing ${how}; a resend is accepted`, async () => {
      const dev = newSession();
      const h = await harness([dev]);
      h.behaviour = failing;
      const phy = buildUplink(dev, { fCnt: 7, payload: READING });
      expect(await pushOne(h, phy, 400)).toBeNull();
      expect(h.fcnt.last(dev.devEui)).toBeUndefined();
      expect(h.source.stats().rejections).toMatchObject({ store_failed: 1 });
      expect(h.source.health().state).toBe("degraded");

      h.behaviour = async (f) => ({ status: "accepted", messageId: String(f.lora!.fCnt) });
      expect(await pushOne(h, phy)).not.toBeNull();
      expect(h.frames.map((f) => f.lora!.fCnt)).toEqual([7, 7]);
      expect(h.fcnt.last(dev.devEui)?.fCnt).toBe(7);
      expect(h.source.health().state).toBe("running");
    });

  it("acknowledges definitive rejections by the pipeline and uses up their counter", async () => {
    const dev = newSession();
    const h = await harness([dev]);
    h.behaviour = async () => ({ status: "rejected", reason: "truncated", detail: "short" });
    expect(await pushOne(h, buildUplink(dev, { fCnt: 4, payload: "00" }))).not.toBeNull();
    expect(h.fcnt.last(dev.devEui)?.fCnt).toBe(4);
  });
});

describe("semtech-udp: PULL_DATA and forwarder health", () => {
  it("answers PULL_DATA with PULL_ACK and remembers the downlink path", async () => {
    const h = await harness([]);
    const token = h.pf.token();
    await h.pf.send(header(2, token, 0x02, h.pf.eui));
    const ack = await h.pf.reply(token, PULL_ACK);
    expect(ack!.bytes).toEqual(header(2, token, PULL_ACK));
    const fw = h.source.stats().forwarders.find((f) => f.gatewayEui === h.pf.eui)!;
    expect(fw.pullData).toBe(1);
    expect(fw.downlinkPath).toMatchObject({ address: "127.0.0.1", version: 2 });
  });

  it("acknowledges a stat-only PUSH_DATA and keeps the forwarder's statistics", async () => {
    const h = await harness([]);
    const stat = { time: "2026-11-23 01:00:00 GMT", rxnb: 4, rxok: 3, rxfw: 3, ackr: 100 };
    const token = await h.pf.push([], stat);
    expect(await h.pf.reply(token, PUSH_ACK)).not.toBeNull();
    const fw = h.source.stats().forwarders[0]!;
    expect(fw).toMatchObject({ gatewayEui: h.pf.eui, pushData: 1, pushAcks: 1, lastStat: stat });
    expect(h.source.health()).toMatchObject({
      state: "running",
      detail: "1 packet forwarder seen",
    });
  });
});

describe("semtech-udp: forged, replayed and unsupported frames", () => {
  it("rejects a bad MIC, counts it, emits nothing and still acknowledges", async () => {
    const dev = newSession();
    const h = await harness([dev]);
    const forged = buildUplink(dev, { fCnt: 1, payload: READING, nwkSKey: newSession().nwkSKey });
    expect(await pushOne(h, forged)).not.toBeNull();
    expect(h.frames).toHaveLength(0);
    expect(h.source.stats().rejections).toEqual({ bad_mic: 1 });
  });

  it("rejects replays, lets a second copy of the last frame through for dedup", async () => {
    const dev = newSession();
    const h = await harness([dev]);
    const ten = buildUplink(dev, { fCnt: 10, payload: READING });
    await pushOne(h, buildUplink(dev, { fCnt: 9, payload: READING }));
    await pushOne(h, ten);
    await pushOne(h, buildUplink(dev, { fCnt: 9, payload: READING })); // replay of an old frame
    await pushOne(h, buildUplink(dev, { fCnt: 10, payload: "7f" + READING.slice(2) })); // reuse
    h.behaviour = async () => ({ status: "duplicate", messageId: "x" });
    await pushOne(h, ten); // the same frame again (retransmission or a second gateway)
    expect(h.frames.map((f) => f.lora!.fCnt)).toEqual([9, 10, 10]);
    expect(h.source.stats().rejections).toEqual({ replay: 2 });
    expect(h.source.stats().dispositions).toEqual({ accepted: 2, duplicate: 1, rejected: 0 });
  });

  it("reconstructs 32-bit counters past 65535 and rejects gaps over MAX_FCNT_GAP", async () => {
    const dev = newSession();
    const h = await harness([dev]);
    for (const n of [65534, 65535, 65536, 65537, 131072 + 5 - 65536])
      expect(await pushOne(h, buildUplink(dev, { fCnt: n, payload: READING }))).not.toBeNull();
    expect(h.frames.map((f) => f.lora!.fCnt)).toEqual([65534, 65535, 65536, 65537, 65541]);
    for (const f of h.frames) expect(Buffer.from(f.lora!.payload).toString("hex")).toBe(READING);
    await pushOne(h, buildUplink(dev, { fCnt: 65541 + 16385, payload: READING }));
    expect(h.source.stats().rejections).toEqual({ fcnt_gap: 1 });
    expect(h.fcnt.last(dev.devEui)?.fCnt).toBe(65541);
  });

  it("rejects join requests as join_not_supported", async () => {
    const h = await harness([newSession()]);
    expect(await pushOne(h, buildJoinRequest())).not.toBeNull();
    expect(h.source.stats().rejections).toEqual({ join_not_supported: 1 });
  });

  it("rejects frames from unknown DevAddrs and MAC-only frames", async () => {
    const dev = newSession();
    const h = await harness([dev]);
    await pushOne(h, buildUplink(newSession(), { fCnt: 1, payload: READING }));
    await pushOne(h, buildUplink(dev, { fCnt: 2, fPort: 0, payload: "0302" }));
    expect(h.source.stats().rejections).toEqual({ unknown_devaddr: 1, mac_only: 1 });
    expect(h.frames).toHaveLength(0);
  });
});

describe("semtech-udp: frame counters survive a restart", () => {
  it("continues from the persisted counter in the same SQLite file", async () => {
    const dev = newSession();
    const first = await harness([dev], "restart.sqlite");
    for (const n of [65534, 65535])
      await pushOne(first, buildUplink(dev, { fCnt: n, payload: READING }));
    await closeHarness(first);

    const second = await harness([dev], "restart.sqlite");
    await pushOne(second, buildUplink(dev, { fCnt: 65534, payload: READING })); // replay
    await pushOne(second, buildUplink(dev, { fCnt: 65536, payload: READING })); // wire FCnt 0
    expect(second.frames.map((f) => f.lora!.fCnt)).toEqual([65536]);
    expect(second.source.stats().rejections).toEqual({ replay: 1 });
  });
});

describe("semtech-udp: malformed datagrams", () => {
  it("rejects each with its reason, never answers them, and keeps serving", async () => {
    const dev = newSession();
    const h = await harness([dev]);
    const eui = h.pf.eui;
    const good = rxpk(buildUplink(dev, { fCnt: 1, payload: READING }));
    const sends: [string, Buffer][] = [
      ["unknown_version", pushData(eui, 1, { rxpk: [good] }, 3)],
      ["too_short", Buffer.from([2, 0])],
      ["too_short", header(2, 2, 0x00)],
      ["unknown_identifier", header(2, 3, 0x09, eui)],
      ["server_message", header(2, 4, 0x01)],
      ["bad_json", Buffer.concat([header(2, 5, 0x00, eui), Buffer.from('{"rxpk":[')])],
      ["bad_json", Buffer.concat([header(2, 6, 0x00, eui), Buffer.from([0xff, 0xfe])])],
      ["bad_schema", pushData(eui, 7, { rxpk: "not a list" })],
    ];
    for (const [, bytes] of sends) await h.pf.send(bytes);
    // Bad rxpk inside a good datagram: rejected one by one, the datagram is acknowledged.
    const badRxpk = await h.pf.push([
      { ...good, data: "!!not base64!!" },
      { ...good, freq: "868.1" },
      { ...good, stat: -1 },
      { ...good, size: 3 },
    ]);
    expect(await h.pf.reply(badRxpk, PUSH_ACK)).not.toBeNull();
    await h.source.settled();
    const expected: Record<string, number> = {
      bad_base64: 1,
      bad_rxpk: 1,
      crc_failed: 1,
      size_mismatch: 1,
    };
    for (const [reason] of sends) expected[reason] = (expected[reason] ?? 0) + 1;
    expect(h.source.stats().rejections).toEqual(expected);
    expect(h.pf.replies.map((r) => r.token)).toEqual([badRxpk]);
    expect(h.frames).toHaveLength(0);

    expect(await pushOne(h, buildUplink(dev, { fCnt: 2, payload: READING }))).not.toBeNull();
    expect(h.frames).toHaveLength(1);
  });
});

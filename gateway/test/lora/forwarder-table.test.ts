// Anyone can send PULL_DATA with made-up gateway EUIs. The forwarder table stays small, keeps the
// school's real packet forwarder (one that delivered a frame whose MIC verified), and "up" follows
// the real forwarders only: 5,000 fake ids going silent do not make the source degraded.
import { describe, expect, it } from "vitest";
import { SILENT_FORWARDER_S } from "../../src/sources/semtech-udp/forwarders.js";
import { SemtechUdpSource } from "../../src/sources/semtech-udp/source.js";
import { buildUplink, newSession, uplinkVectors } from "./support/lorawan-devices.js";
import { header, PacketForwarder, PULL_ACK, PUSH_ACK, rxpk } from "./support/packet-forwarder.js";

const READING = uplinkVectors.find((v) => v.fPort === 1)!.hex;

describe("semtech-udp forwarder table under fake gateway ids", () => {
  it("bounds the table, keeps the real forwarder and stays up when fake ids go silent", async () => {
    let clock = Date.parse("2026-11-23T08:00:00Z");
    const dev = newSession();
    let last: { fCnt: number; mic: string } | undefined;
    const source = new SemtechUdpSource({
      host: "127.0.0.1",
      port: 0,
      sessions: { sessionsForDevAddr: (a) => (a === dev.devAddr ? [dev] : []) },
      fcnt: { last: () => last, advance: (_e, fCnt, mic) => (last = { fCnt, mic }) },
      now: () => clock,
    });
    await source.start(async () => ({ status: "accepted", messageId: "m" }));
    const real = await PacketForwarder.open(source.address().port, "b827ebfffe6a1c01");
    const fake = await PacketForwarder.open(source.address().port, "0000000000000000");
    try {
      const token = await real.push([rxpk(buildUplink(dev, { fCnt: 1, payload: READING }))]);
      expect(await real.reply(token, PUSH_ACK)).not.toBeNull();
      // 5,000 fake ids, 100 at a time, each answered.
      for (let batch = 0; batch < 50; batch++) {
        const tokens: number[] = [];
        for (let i = 0; i < 100; i++) {
          const t = fake.token();
          tokens.push(t);
          const eui = (0xfa00_0000_0000 + batch * 100 + i).toString(16).padStart(16, "0");
          await fake.send(header(2, t, 0x02, eui));
        }
        for (const t of tokens) expect(await fake.reply(t, PULL_ACK)).not.toBeNull();
      }
      const listed = source.stats().forwarders;
      expect(listed.length).toBeLessThanOrEqual(65);
      expect(listed.map((f) => f.gatewayEui)).toContain("b827ebfffe6a1c01");
      expect(JSON.stringify(source.health()).length).toBeLessThan(1000);
      expect(source.forwarderCounts()).toMatchObject({ verified: 1, unverified: 64 });

      // The fakes go silent; the real forwarder keeps its keepalive.
      clock += (SILENT_FORWARDER_S + 10) * 1000;
      const k = real.token();
      await real.send(header(2, k, 0x02, real.eui));
      expect(await real.reply(k, PULL_ACK)).not.toBeNull();
      expect(source.health()).toMatchObject({
        state: "running",
        detail: "1 packet forwarder seen",
      });

      // The real one silent too: now the school's LoRa gateway is down.
      clock += (SILENT_FORWARDER_S + 10) * 1000;
      expect(source.health()).toMatchObject({
        state: "degraded",
        detail: expect.stringContaining("b827ebfffe6a1c01"),
      });
    } finally {
      await real.close();
      await fake.close();
      await source.stop();
    }
  });
});

// Health of the semtech-udp source follows its packet forwarders: silent ones are named, and
// when every one is silent the school's LoRa gateway is down (degraded).
import { describe, expect, it } from "vitest";
import { SILENT_FORWARDER_S } from "../../src/sources/semtech-udp/forwarders.js";
import { SemtechUdpSource } from "../../src/sources/semtech-udp/source.js";
import { header, PacketForwarder, PULL_ACK } from "./support/packet-forwarder.js";

describe("semtech-udp health", () => {
  it("reports silent packet forwarders and recovers when they speak again", async () => {
    let clock = Date.parse("2026-11-23T08:00:00Z");
    const source = new SemtechUdpSource({
      host: "127.0.0.1",
      port: 0,
      sessions: { sessionsForDevAddr: () => [] },
      fcnt: { last: () => undefined, advance: () => {} },
      now: () => clock,
    });
    expect(source.health().state).toBe("stopped");
    await source.start(async () => ({ status: "accepted", messageId: "x" }));
    const a = await PacketForwarder.open(source.address().port, "0000000000000a01");
    const b = await PacketForwarder.open(source.address().port, "0000000000000b02");
    const keepalive = async (pf: PacketForwarder) => {
      const t = pf.token();
      await pf.send(header(2, t, 0x02, pf.eui));
      expect(await pf.reply(t, PULL_ACK)).not.toBeNull();
    };
    try {
      await keepalive(a);
      await keepalive(b);
      expect(source.health()).toMatchObject({
        state: "running",
        detail: "2 packet forwarders seen",
      });

      clock += 60_000;
      await keepalive(b);
      clock += (SILENT_FORWARDER_S - 30) * 1000;
      expect(source.health()).toMatchObject({
        state: "running",
        detail: expect.stringMatching(/silent for over 120 s: 0000000000000a01 \(/),
      });

      clock += 60_000;
      expect(source.health()).toMatchObject({
        state: "degraded",
        detail: expect.stringContaining("0000000000000a01, 0000000000000b02"),
      });

      await keepalive(a);
      await keepalive(b);
      expect(source.health().state).toBe("running");
    } finally {
      await a.close();
      await b.close();
      await source.stop();
    }
    expect(source.health().state).toBe("stopped");
  });

  it("says clearly when the port is taken", async () => {
    const first = new SemtechUdpSource({
      host: "127.0.0.1",
      port: 0,
      sessions: { sessionsForDevAddr: () => [] },
      fcnt: { last: () => undefined, advance: () => {} },
    });
    await first.start(async () => ({ status: "accepted", messageId: "x" }));
    const second = new SemtechUdpSource({
      host: "127.0.0.1",
      port: first.address().port,
      sessions: { sessionsForDevAddr: () => [] },
      fcnt: { last: () => undefined, advance: () => {} },
    });
    await expect(
      second.start(async () => ({ status: "accepted", messageId: "x" })),
    ).rejects.toThrow(
      /cannot listen on udp 127.0.0.1:\d+: .*EADDRINUSE.*sources\.semtechUdp\.port/,
    );
    expect(second.health()).toMatchObject({ state: "unavailable" });
    await first.stop();
  });
});

// Class A downlinks through the packet forwarder: a queued classroom command goes out as
// PULL_RESP in RX1 of the device's next uplink; TX_ACK confirms it or sends it round again.
import { decodeDownlink, type ClassroomDownlink } from "@leiden-iot/protocol";
import { describe, expect, it } from "vitest";
import { loraPacket } from "../../src/lorawan/lora-packet.js";
import { fcntMsb } from "../../src/lorawan/fcnt.js";
import type { LoraSession } from "../../src/lorawan/session.js";
import { buildUplink, newSession, uplinkVectors } from "./support/lorawan-devices.js";
import { header } from "./support/packet-forwarder.js";
import {
  harness,
  PULL_ACK,
  PULL_RESP,
  pushOne,
  useSemtechHarness,
  type Harness,
} from "./support/semtech-harness.js";

useSemtechHarness();

const READING = uplinkVectors.find((v) => v.fPort === 1)!.hex;
const SET_INTERVAL: ClassroomDownlink = {
  kind: "set_interval",
  readingIntervalSeconds: 120,
  uplinkIntervalMinutes: 10,
};

async function pullData(h: Harness): Promise<void> {
  const token = h.pf.token();
  await h.pf.send(header(2, token, 0x02, h.pf.eui));
  await h.pf.reply(token, PULL_ACK);
}

function pullResps(h: Harness) {
  return h.pf.replies
    .filter((r) => r.identifier === PULL_RESP)
    .map((r) => ({
      token: r.token,
      txpk: (JSON.parse(r.bytes.subarray(4).toString()) as { txpk: Record<string, unknown> }).txpk,
    }));
}

/** Opens a downlink PHYPayload as the device would: MIC with NwkSKey, decrypt with AppSKey. */
function openDownlink(s: LoraSession, data: string) {
  const p = loraPacket.fromWire(Buffer.from(data, "base64"));
  const fCnt = p.getFCnt()!;
  return {
    mtype: p.getMType(),
    devAddr: p.DevAddr!.toString("hex"),
    fCnt,
    fPort: p.getFPort()!,
    ack: p.getFCtrlACK(),
    micOk: loraPacket.verifyMIC(p, Buffer.from(s.nwkSKey), undefined, fcntMsb(fCnt)),
    payload: loraPacket.decrypt(p, Buffer.from(s.appSKey), Buffer.from(s.nwkSKey)),
  };
}

/** Sends TX_ACK and waits until the source has counted it. */
async function txAck(h: Harness, token: number, error: string) {
  const count = () => h.source.stats().forwarders.find((f) => f.gatewayEui === h.pf.eui)!.txAcks;
  const before = count();
  const body = Buffer.from(JSON.stringify({ txpk_ack: { error } }));
  await h.pf.send(Buffer.concat([header(2, token, 0x05, h.pf.eui), body]));
  const deadline = Date.now() + 2000;
  while (count() === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

describe("semtech-udp downlinks", () => {
  it("answers the next uplink in RX1 with the queued command, signed and encrypted", async () => {
    const dev = newSession();
    const h = await harness([dev]);
    await pullData(h);
    expect(h.source.queueDownlink(dev.devEui, SET_INTERVAL)).toEqual({
      ok: true,
      value: { id: 1 },
    });
    await pushOne(h, buildUplink(dev, { fCnt: 5, payload: READING }), 2000, {
      tmst: 4_294_000_000,
      freq: 868.3,
      datr: "SF10BW125",
    });
    const [resp] = pullResps(h);
    expect(resp!.txpk).toMatchObject({
      imme: false,
      tmst: (4_294_000_000 + 1_000_000) % 2 ** 32, // RX1: one second later, counter wraps
      freq: 868.3,
      datr: "SF10BW125",
      modu: "LORA",
      ipol: true,
      powe: 14,
    });
    const d = openDownlink(dev, resp!.txpk.data as string);
    expect(d).toMatchObject({
      mtype: "Unconfirmed Data Down",
      devAddr: dev.devAddr,
      fCnt: 0,
      fPort: 10,
      ack: false,
      micOk: true,
    });
    expect(decodeDownlink(d.fPort, d.payload)).toEqual({ ok: true, value: SET_INTERVAL });

    await txAck(h, resp!.token, "NONE");
    expect(h.source.stats().downlinks).toMatchObject({ queued: 0, transmitted: 1, confirmed: 1 });
    // Nothing queued any more: the next uplink gets no answer.
    await pushOne(h, buildUplink(dev, { fCnt: 6, payload: READING }));
    expect(pullResps(h)).toHaveLength(1);
  });

  it("sends a refused transmission again on a later uplink with a fresh FCntDown", async () => {
    const dev = newSession();
    const h = await harness([dev]);
    await pullData(h);
    h.source.queueDownlink(dev.devEui, SET_INTERVAL);
    await pushOne(h, buildUplink(dev, { fCnt: 1, payload: READING, confirmed: true }));
    await txAck(h, pullResps(h)[0]!.token, "TOO_LATE");
    expect(h.source.stats().downlinks).toMatchObject({ queued: 1, failed: { too_late: 1 } });
    await pushOne(h, buildUplink(dev, { fCnt: 2, payload: READING }));
    const again = pullResps(h);
    expect(again).toHaveLength(2);
    const first = openDownlink(dev, again[0]!.txpk.data as string);
    const second = openDownlink(dev, again[1]!.txpk.data as string);
    expect([first.fCnt, first.ack, second.fCnt, second.ack]).toEqual([0, true, 1, false]);
    expect(second.payload).toEqual(first.payload);
  });

  it("keeps the command until the forwarder has sent PULL_DATA, refuses invalid ones", async () => {
    const dev = newSession();
    const h = await harness([dev]);
    h.source.queueDownlink(dev.devEui, SET_INTERVAL);
    await pushOne(h, buildUplink(dev, { fCnt: 1, payload: READING }));
    expect(pullResps(h)).toHaveLength(0);
    expect(h.source.stats().downlinks).toMatchObject({
      queued: 1,
      failed: { no_downlink_path: 1 },
    });
    await pullData(h);
    await pushOne(h, buildUplink(dev, { fCnt: 2, payload: READING }));
    expect(pullResps(h)).toHaveLength(1);
    expect(
      h.source.queueDownlink(dev.devEui, { ...SET_INTERVAL, readingIntervalSeconds: 5 }),
    ).toMatchObject({ ok: false, reason: "bad_downlink" });
  });
});

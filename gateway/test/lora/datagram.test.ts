// The Semtech UDP datagram codec on hand-written datagrams from PROTOCOL.TXT's layout.
import { describe, expect, it } from "vitest";
import {
  parseDatagram,
  pullAck,
  pullResp,
  pushAck,
} from "../../src/sources/semtech-udp/datagram.js";
import { header, pushData } from "./support/packet-forwarder.js";

const EUI = "aa555a0000000101";

describe("parseDatagram", () => {
  it("reads PUSH_DATA with rxpk and stat", () => {
    const r = parseDatagram(pushData(EUI, 0xbeef, { rxpk: [{ a: 1 }], stat: { rxnb: 1 } }));
    expect(r).toEqual({
      ok: true,
      value: {
        kind: "push_data",
        version: 2,
        token: 0xbeef,
        gatewayEui: EUI,
        rxpk: [{ a: 1 }],
        stat: { rxnb: 1 },
      },
    });
  });

  it("reads PULL_DATA and TX_ACK with and without an error", () => {
    expect(parseDatagram(header(2, 7, 0x02, EUI))).toMatchObject({
      ok: true,
      value: { kind: "pull_data", token: 7, gatewayEui: EUI },
    });
    expect(parseDatagram(header(1, 8, 0x05, EUI))).toMatchObject({
      value: { kind: "tx_ack", version: 1 },
    });
    const tooLate = Buffer.concat([
      header(2, 9, 0x05, EUI),
      Buffer.from('{"txpk_ack":{"error":"TOO_LATE"}}'),
    ]);
    expect(parseDatagram(tooLate)).toMatchObject({ value: { kind: "tx_ack", error: "TOO_LATE" } });
    const none = Buffer.concat([
      header(2, 9, 0x05, EUI),
      Buffer.from('{"txpk_ack":{"error":"NONE"}}'),
    ]);
    const r = parseDatagram(none);
    expect(r.ok && "error" in r.value).toBe(false);
  });

  it("names the JSON path of a mistyped field", () => {
    expect(parseDatagram(pushData(EUI, 1, { rxpk: [], stat: 5 }))).toEqual({
      ok: false,
      reason: "bad_schema",
      detail: expect.stringMatching(/^\$\.stat: /),
    });
    expect(parseDatagram(pushData(EUI, 1, [1, 2]))).toMatchObject({ reason: "bad_json" });
  });
});

describe("acknowledgements", () => {
  it("echo version and token", () => {
    expect([...pushAck(2, 0xbeef)]).toEqual([2, 0xbe, 0xef, 0x01]);
    expect([...pullAck(1, 0x0102)]).toEqual([1, 0x01, 0x02, 0x04]);
    const resp = pullResp(2, 5, { imme: true, data: "AA==" });
    expect([...resp.subarray(0, 4)]).toEqual([2, 0, 5, 0x03]);
    expect(JSON.parse(resp.subarray(4).toString())).toEqual({ txpk: { imme: true, data: "AA==" } });
  });
});

// The pure LNS JSON parser on the TTS and ChirpStack fixtures and on broken variants of them.
import { decodeUplink } from "@leiden-iot/protocol";
import { describe, expect, it } from "vitest";
import { parseLnsUplink } from "../../src/sources/lns-mqtt/uplink.js";
import {
  bytes,
  CHIRPSTACK_TOPIC,
  chirpstackUplink,
  TTS_TOPIC,
  ttsUplink,
} from "./support/lns-fixtures.js";
import { uplinkVectors } from "./support/lorawan-devices.js";

const NOW = Date.parse("2026-11-23T09:00:00Z");

const DELETE = Symbol("delete");

/** Sets (or deletes) the value at a dotted path such as "uplink_message.rx_metadata.1.rssi". */
function edit(m: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let o = m as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  if (value === DELETE) delete o[last];
  else o[last] = value;
}

function tts(path?: string, value: unknown = DELETE) {
  const m = ttsUplink();
  if (path) edit(m, path, value);
  return parseLnsUplink("ttn", TTS_TOPIC, bytes(m), NOW);
}
function cs(path?: string, value: unknown = DELETE) {
  const m = chirpstackUplink();
  if (path) edit(m, path, value);
  return parseLnsUplink("chirpstack", CHIRPSTACK_TOPIC, bytes(m), NOW);
}

describe("The Things Stack v3 uplinks", () => {
  it("maps the fixture to a RawFrame with the strongest gateway's metadata", () => {
    const r = tts();
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      source: "lns-mqtt",
      channel: "lora",
      receivedAt: Date.parse("2025-11-20T08:30:01.205931Z") / 1000,
      rssi: -98,
      snr: 7.25,
      lora: {
        devEui: "0004a30b00f1c2d3",
        devAddr: "260b1234",
        fCnt: 42,
        fPort: 1,
        dataRate: "SF9BW125",
        frequency: 868_500_000,
        radioGatewayId: "a840411d2f8c4150",
      },
    });
    const reading = uplinkVectors.find((v) => v.fPort === 1)!;
    expect(Buffer.from(r.value.lora!.payload).toString("hex")).toBe(reading.hex);
    expect(decodeUplink(1, r.value.lora!.payload)).toEqual({ ok: true, value: reading.decoded });
  });

  it("reads omitted zero values as 0 (f_cnt) and rejects fPort 0 (MAC only)", () => {
    const r = tts("uplink_message.f_cnt");
    expect(r.ok && r.value.lora!.fCnt).toBe(0);
    expect(tts("uplink_message.f_port")).toMatchObject({ reason: "no_payload" });
    expect(tts("uplink_message.frm_payload")).toMatchObject({
      ok: false,
      reason: "no_payload",
      detail: "$.uplink_message.frm_payload is missing",
    });
  });

  it("names the JSON path of a missing or mistyped field", () => {
    expect(tts("end_device_ids.dev_eui")).toMatchObject({
      reason: "bad_schema",
      detail: expect.stringMatching(/^\$\.end_device_ids\.dev_eui: /),
    });
    expect(tts("uplink_message.f_port", "1")).toMatchObject({
      reason: "bad_schema",
      detail: expect.stringMatching(/^\$\.uplink_message\.f_port: /),
    });
    expect(tts("uplink_message.rx_metadata.1.rssi", "strong")).toMatchObject({
      reason: "bad_schema",
      detail: expect.stringMatching(/^\$\.uplink_message\.rx_metadata\[1\]\.rssi: /),
    });
    expect(tts("end_device_ids.dev_addr", "260B12")).toMatchObject({
      reason: "bad_schema",
      detail: "$.end_device_ids.dev_addr: expected an 8-hex-digit DevAddr",
    });
  });

  it("rejects other events, bad base64 and non-JSON", () => {
    const join = ttsUplink();
    delete join.uplink_message;
    join.join_accept = { session_key_id: "AXBSH1Pk6Z0G166" };
    expect(parseLnsUplink("ttn", TTS_TOPIC, bytes(join), NOW)).toMatchObject({
      reason: "not_uplink",
    });
    expect(
      parseLnsUplink("ttn", "v3/meet-de-klas@ttn/devices/x/join", bytes(ttsUplink()), NOW),
    ).toMatchObject({ reason: "not_uplink" });
    expect(tts("uplink_message.frm_payload", "AB*D")).toMatchObject({
      reason: "bad_base64",
    });
    for (const raw of ["{", "[1,2]", "null", "42"])
      expect(parseLnsUplink("ttn", TTS_TOPIC, new TextEncoder().encode(raw), NOW)).toMatchObject({
        reason: "bad_json",
      });
    expect(parseLnsUplink("ttn", TTS_TOPIC, new Uint8Array([0x7b, 0xff]), NOW)).toMatchObject({
      reason: "bad_json",
    });
  });

  it("does not believe a receive time in the future", () => {
    const r = tts("uplink_message.received_at", "2031-01-01T00:00:00Z");
    expect(r.ok && r.value.receivedAt).toBe(NOW / 1000);
  });
});

describe("ChirpStack v4 uplinks", () => {
  it("maps the fixture to a RawFrame with the strongest gateway's metadata", () => {
    const r = cs();
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      source: "lns-mqtt",
      receivedAt: Date.parse("2025-11-20T08:45:12.318504Z") / 1000,
      rssi: -87,
      snr: 9.5,
      lora: {
        devEui: "0004a30b00f1c2e4",
        devAddr: "01fe4c2a",
        fCnt: 1207,
        fPort: 3,
        dataRate: "SF7BW125",
        frequency: 868_300_000,
        radioGatewayId: "a840411d2f8c4150",
      },
    });
    const status = uplinkVectors.find((v) => v.fPort === 3)!;
    expect(decodeUplink(3, r.value.lora!.payload)).toEqual({ ok: true, value: status.decoded });
  });

  it("picks the gateway with the highest RSSI wherever it is in rxInfo", () => {
    const reversed = chirpstackUplink();
    (reversed.rxInfo as unknown[]).reverse();
    const r = parseLnsUplink("chirpstack", CHIRPSTACK_TOPIC, bytes(reversed), NOW);
    expect(r.ok && r.value.lora!.radioGatewayId).toBe("a840411d2f8c4150");
    const none = cs("rxInfo");
    expect(none.ok && none.value.rssi).toBeUndefined();
  });

  it("reads an omitted fCnt as 0 and rejects missing data or fPort", () => {
    const r = cs("fCnt");
    expect(r.ok && r.value.lora!.fCnt).toBe(0);
    expect(cs("fPort")).toMatchObject({ reason: "no_payload" });
    expect(cs("data")).toMatchObject({
      reason: "no_payload",
      detail: "$.data is missing",
    });
  });

  it("names the JSON path of a missing or mistyped field", () => {
    expect(cs("deviceInfo")).toMatchObject({
      reason: "bad_schema",
      detail: expect.stringMatching(/^\$\.deviceInfo: /),
    });
    expect(cs("rxInfo.1.snr", null)).toMatchObject({
      detail: expect.stringMatching(/^\$\.rxInfo\[1\]\.snr: /),
    });
    expect(cs("fCnt", -1)).toMatchObject({
      detail: expect.stringMatching(/^\$\.fCnt: /),
    });
    expect(cs("txInfo.modulation.lora.spreadingFactor", 13)).toMatchObject({
      detail: expect.stringMatching(/^\$\.txInfo\.modulation\.lora\.spreadingFactor: /),
    });
  });

  it("only takes the up event", () => {
    const topic = CHIRPSTACK_TOPIC.replace(/up$/, "join");
    expect(parseLnsUplink("chirpstack", topic, bytes(chirpstackUplink()), NOW)).toMatchObject({
      reason: "not_uplink",
    });
  });
});

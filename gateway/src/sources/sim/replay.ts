// Replays the firmware simulator's NDJSON radio stream (firmware/README.md#radio-stream-ndjson):
// one JSON object per line, BLE manufacturer data or a decrypted LoRa uplink, in time order.
// receivedAt is the line's world time `t`, so ephemeral ids resolve in the epoch they were sent.
import { readFileSync } from "node:fs";
import { fromHex } from "@leiden-iot/protocol";
import type { RawFrame } from "../source.js";

const HEX = /^[0-9a-fA-F]*$/;

/** One line -> a RawFrame, or a message saying what is wrong with it. */
export function parseRadioLine(line: string): RawFrame | string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return "not JSON";
  }
  if (typeof o !== "object" || o === null) return "not a JSON object";
  const t = o.t;
  if (typeof t !== "number" || !Number.isFinite(t)) return "t (unix seconds) missing";
  const rssi = typeof o.rssi === "number" ? o.rssi : undefined;
  if (o.channel === "ble") {
    if (typeof o.data !== "string" || !HEX.test(o.data)) return "ble line without hex data";
    const data = fromHex(o.data.toLowerCase());
    if (!data) return "ble data is not whole bytes";
    const f: RawFrame = { source: "sim", channel: "ble", receivedAt: t, ble: { data } };
    if (typeof o.address === "string") f.ble!.address = o.address;
    if (rssi !== undefined) f.rssi = rssi;
    return f;
  }
  if (o.channel === "lora") {
    const { devEui, devAddr, fCnt, fPort, payload } = o;
    if (typeof devEui !== "string" || !/^[0-9a-fA-F]{16}$/.test(devEui))
      return "lora line without devEui";
    if (typeof devAddr !== "string" || !/^[0-9a-fA-F]{8}$/.test(devAddr))
      return "lora line without devAddr";
    if (typeof fCnt !== "number" || !Number.isInteger(fCnt) || fCnt < 0 || fCnt > 0xffffffff)
      return "lora fCnt is not a 32-bit counter";
    if (typeof fPort !== "number" || !Number.isInteger(fPort) || fPort < 0 || fPort > 255)
      return "lora fPort out of range";
    if (typeof payload !== "string" || !HEX.test(payload)) return "lora payload is not hex";
    const bytes = fromHex(payload.toLowerCase());
    if (!bytes) return "lora payload is not whole bytes";
    const lora: NonNullable<RawFrame["lora"]> = {
      devEui: devEui.toLowerCase(),
      devAddr: devAddr.toLowerCase(),
      fCnt,
      fPort,
      payload: bytes,
    };
    if (typeof o.dataRate === "string") lora.dataRate = o.dataRate;
    const f: RawFrame = { source: "sim", channel: "lora", receivedAt: t, lora };
    if (rssi !== undefined) f.rssi = rssi;
    return f;
  }
  return `channel must be "ble" or "lora"`;
}

export interface ReplayResult {
  frames: RawFrame[];
  /** Line number (1-based) and problem of every line that was skipped. */
  skipped: { line: number; problem: string }[];
}

export function readRadioLog(path: string): ReplayResult {
  const out: ReplayResult = { frames: [], skipped: [] };
  const lines = readFileSync(path, "utf8").split("\n");
  lines.forEach((l, i) => {
    if (l.trim() === "") return;
    const r = parseRadioLine(l);
    if (typeof r === "string") out.skipped.push({ line: i + 1, problem: r });
    else out.frames.push(r);
  });
  return out;
}

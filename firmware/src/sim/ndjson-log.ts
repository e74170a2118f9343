// The radio stream the gateway's sim source consumes: one JSON object per line.
// Format: firmware/README.md#radio-stream-ndjson.
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { LoraUplinkRecord } from "./rn2483-sim.js";

export interface BleLine {
  t: number; // unix seconds (world time) the advert (change) went on air
  channel: "ble";
  device: string; // simulator label, e.g. "band-257" (ground truth for tests, not on air)
  address: string; // BLE random static address
  data: string; // manufacturer data hex WITHOUT the 2-byte company id (gateway RawFrame.ble.data)
  rssi: number;
}

export interface LoraLine {
  t: number;
  channel: "lora";
  device: string;
  devEui: string;
  devAddr: string;
  fCnt: number;
  fPort: number;
  payload: string; // application payload hex
  dataRate: string; // "SF7BW125"
  airtimeMs: number;
}

export type RadioLine = BleLine | LoraLine;

/** The stream's line for an uplink the RN2483 sent for the device labelled `device`. */
export function loraLine(device: string, u: LoraUplinkRecord): LoraLine {
  return {
    t: u.t,
    channel: "lora",
    device: device,
    devEui: u.devEui,
    devAddr: u.devAddr,
    fCnt: u.fCnt,
    fPort: u.fPort,
    payload: u.payload,
    dataRate: "SF" + (12 - Math.min(u.dr, 5)) + "BW125",
    airtimeMs: u.airtimeMs,
  };
}

export class RadioLog {
  readonly lines: RadioLine[] = [];
  constructor(private readonly file: string | null) {
    if (file) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, "");
    }
  }
  add(l: RadioLine): void {
    this.lines.push(l);
    if (this.file) appendFileSync(this.file, JSON.stringify(l) + "\n");
  }
}

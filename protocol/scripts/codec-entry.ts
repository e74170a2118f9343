// Entry of the generated LNS payload codec (LoRa Alliance TS013 shape) for The Things Stack and
// ChirpStack. Bundled from the protocol sources and lowered to ES5 by scripts/build-codec.ts.
import {
  decodeDownlink as decodeDl,
  encodeDownlink as encodeDl,
  type ClassroomDownlink,
} from "../src/lora-downlink.js";
import { decodeUplink as decodeUl } from "../src/lora-uplink.js";

interface UplinkInput {
  bytes: number[];
  fPort: number;
  recvTime?: unknown;
}

function toArray(b: { length: number; [i: number]: number }): number[] {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) out.push(b[i]!);
  return out;
}

export function decodeUplink(input: UplinkInput) {
  const r = decodeUl(input.fPort, input.bytes || []);
  if (!r.ok) return { errors: [r.reason + ": " + r.detail], warnings: [] };
  return { data: r.value, warnings: [] };
}

export function encodeDownlink(input: { data: ClassroomDownlink }) {
  const r = encodeDl(input.data);
  if (!r.ok) return { errors: [r.reason + ": " + r.detail], warnings: [] };
  return { bytes: toArray(r.value.bytes), fPort: r.value.fPort, warnings: [] };
}

export function decodeDownlink(input: UplinkInput) {
  const r = decodeDl(input.fPort, input.bytes || []);
  if (!r.ok) return { errors: [r.reason + ": " + r.detail], warnings: [] };
  return { data: r.value, warnings: [] };
}

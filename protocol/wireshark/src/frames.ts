// Which protocol decoder reads which frame: the only dispatch the dissector adds. The decoders and
// their rejection reasons are protocol's own (protocol/src), compiled to Lua unchanged.
import type { ByteSource } from "../../src/bytes.js";
import { decodeAdvert, type Advert } from "../../src/frame.js";
import { decodeDownlink, type ClassroomDownlink } from "../../src/lora-downlink.js";
import { decodeUplink, type ClassroomUplink } from "../../src/lora-uplink.js";
import type { Result } from "../../src/result.js";
import { parseTimeBeacon, TIME_BEACON_TYPE, type TimeBeacon } from "../../src/time-beacon.js";

/** BLE manufacturer data under company id 0x0590. Fields: liot.<key>. */
export type BleFrame = Advert | TimeBeacon;
/** Decrypted LoRaWAN FRMPayload of a classroom node. Fields: liot.lora.<key>. */
export type LoraFrame = ClassroomUplink | ClassroomDownlink;

export function decodeBle(b: ByteSource): Result<BleFrame> {
  if (b.length > 0 && b[0]! >> 4 === TIME_BEACON_TYPE) return parseTimeBeacon(b);
  return decodeAdvert(b);
}

export type LoraDirection = "up" | "down";

export function decodeLora(
  direction: LoraDirection,
  fPort: number,
  b: ByteSource,
): Result<LoraFrame> {
  return direction === "up" ? decodeUplink(fPort, b) : decodeDownlink(fPort, b);
}

/**
 * True when protocol knows this fPort for the direction: a capture also holds other applications'
 * frames, which the dissector leaves alone unless asked to decode every port.
 */
export function isClassroomFrame(r: Result<LoraFrame>): boolean {
  return r.ok || r.reason !== "unknown_type";
}

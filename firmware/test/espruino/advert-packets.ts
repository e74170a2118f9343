// One advertised packet opened as the gateway opens it, for every interpreter scenario: the frame
// under company id 0x0590, protocol's decoder for the device kind, the truncated AES-CMAC under
// the device's MAC key. Either the decoded advert or the reason it would be refused.
import {
  frameInAdvertPacket,
  verifyFrameMac,
  type CmacKey,
  type Result,
} from "@leiden-iot/protocol";

export type OpenedPacket<T> = { ok: true; value: T } | { ok: false; problem: string };

export function openAdvertPacket<T>(
  bytes: Uint8Array,
  decode: (frame: Uint8Array) => Result<T>,
  signedBytes: number,
  mac: CmacKey,
): OpenedPacket<T> {
  const frame = frameInAdvertPacket(bytes);
  if (!frame) return { ok: false, problem: "no manufacturer data under 0x0590" };
  const d = decode(frame);
  if (!d.ok) return { ok: false, problem: d.reason + " " + d.detail };
  if (!verifyFrameMac(frame, signedBytes, mac))
    return { ok: false, problem: "MAC does not verify" };
  return { ok: true, value: d.value };
}

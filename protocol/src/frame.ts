// Dispatch on the frame type nibble of BLE manufacturer data under 0x0590.
import type { ByteSource } from "./bytes.js";
import {
  BAND_SIGNED_BYTES,
  decodeBandAdvert,
  verifyFrameMac,
  type BandAdvert,
} from "./band-advert.js";
import {
  CLASSROOM_SIGNED_BYTES,
  decodeClassroomAdvert,
  type ClassroomAdvert,
} from "./classroom-advert.js";
import type { CmacKey } from "./cmac.js";
import { reject, type Result } from "./result.js";

export type Advert = BandAdvert | ClassroomAdvert;

export function decodeAdvert(b: ByteSource): Result<Advert> {
  if (b.length < 1) return reject("truncated", "empty manufacturer data");
  const type = b[0]! >> 4;
  if (type === 1) return decodeBandAdvert(b);
  if (type === 2) return decodeClassroomAdvert(b);
  return reject("unknown_type", "frame type " + type + " is not an advert (1 band, 2 classroom)");
}

/** Decodes an advert and verifies its MAC with the device's MAC key: the gateway's accept path. */
export function openAdvert(b: ByteSource, macKey: CmacKey): Result<Advert> {
  const d = decodeAdvert(b);
  if (!d.ok) return d;
  const signed = d.value.kind === "band" ? BAND_SIGNED_BYTES : CLASSROOM_SIGNED_BYTES;
  if (!verifyFrameMac(b, signed, macKey))
    return reject("bad_mac", d.value.kind + " advert MAC does not verify");
  return d;
}

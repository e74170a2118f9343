// Rotating ephemeral identifiers. A band never shows a static identifier on air: every epoch it
// shows EID = first 4 bytes of AES(K_eid, "EID" || 0^9 || epoch) and a BLE address taken from the
// next 6 bytes. Without the key the sequence is unlinkable; a key holder precomputes the table for
// the previous, current and next epoch and resolves an id in O(1).
import { readU32, sliceBytes, toHex, writeU32, type ByteSource } from "./bytes.js";
import type { Aes128 } from "./cmac.js";

/** Length of one epoch in seconds: 15 minutes, like the exposure-notification rolling ids. */
export const EPOCH_SECONDS = 900;
export const EID_BYTES = 4;
/** Offset of the ephemeral id in every advert (band and classroom): byte 0 is type/version. */
export const ADVERT_EID_OFFSET = 1;

/** The ephemeral id of an advert as a u32 (big-endian), for O(1) table lookups. */
export function advertEidU32(b: ByteSource): number {
  return readU32(b, ADVERT_EID_OFFSET);
}

export function epochOf(unixSeconds: number): number {
  return Math.floor(unixSeconds / EPOCH_SECONDS);
}

/**
 * Writes the AES input of one epoch, "EID" || 0^9 || epoch u32, at offset in out (zeroed bytes
 * expected there): a key holder batches many epochs into one buffer.
 */
export function writeEpochBlock(out: Uint8Array, offset: number, epoch: number): void {
  out[offset] = 0x45; // "E"
  out[offset + 1] = 0x49; // "I"
  out[offset + 2] = 0x44; // "D"
  writeU32(out, offset + 12, epoch);
}

function epochBlock(epoch: number): Uint8Array {
  const block = new Uint8Array(16);
  writeEpochBlock(block, 0, epoch);
  return block;
}

export interface EpochIdentity {
  /** 4-byte ephemeral id carried in every frame. */
  eid: Uint8Array;
  /** BLE random static address for this epoch, "aa:bb:cc:dd:ee:ff" (top two bits set). */
  address: string;
}

export function epochIdentity(aes: Aes128, eidKey: Uint8Array, epoch: number): EpochIdentity {
  const out = aes(eidKey, epochBlock(epoch));
  const eid = new Uint8Array(EID_BYTES);
  for (let i = 0; i < EID_BYTES; i++) eid[i] = out[i]!;
  const addr = new Uint8Array(6);
  for (let i = 0; i < 6; i++) addr[i] = out[4 + i]!;
  addr[0] = addr[0]! | 0xc0; // random static address: the two most significant bits are 1
  let s = "";
  for (let i = 0; i < 6; i++) s += (i > 0 ? ":" : "") + toHex(sliceBytes(addr, i, i + 1));
  return { eid: eid, address: s };
}

// Verifying an advert's truncated MAC on the hot path: the computation of the protocol's
// verifyFrameMac (AES-CMAC, RFC 4493, over COMPANY_ID little-endian + the signed bytes, the first
// MAC_BYTES of the tag compared in constant time) with one AES-CBC update per frame instead of a
// cipher update per block and a dozen small typed arrays. test/pipeline/advert-mac.test.ts checks
// it against verifyFrameMac on the vectors and on generated frames; if the protocol's MAC
// changes, that test fails.
//
// CMAC is a CBC-MAC over the message with the last block xored with K1 (complete) or K2 (padded).
// A CBC cipher kept per key chains each update from the last ciphertext block of the one before,
// so xoring that block into the first block of the next message cancels it: every message starts
// from a zero IV, and the last output block is the tag.
import { createCipheriv, type Cipher } from "node:crypto";
import { COMPANY_ID, MAC_BYTES, type CmacKey } from "@leiden-iot/protocol";

export interface AdvertMacKey {
  readonly cipher: Cipher;
  /** K1 (bytes 0-15), K2 (16-31) and the cipher's chaining state, its last ciphertext block (32-47). */
  readonly state: Uint8Array;
}

const K1 = 0;
const K2 = 16;
const LAST = 32;

/**
 * Keeps a CBC cipher for this MAC key (its K1/K2 from the protocol's cmacKey). One object and one
 * 48-byte array besides the cipher: 10k active devices hold 10k of these (bench/run.ts (d)).
 */
export function advertMacKey(ck: CmacKey): AdvertMacKey {
  const cipher = createCipheriv("aes-128-cbc", ck.key, new Uint8Array(16));
  cipher.setAutoPadding(false);
  const state = new Uint8Array(48);
  state.set(ck.k1, K1);
  state.set(ck.k2, K2);
  return { cipher, state };
}

/** The CMAC input of the longest advert, reused (verification is synchronous). */
let scratch = Buffer.alloc(64);

/** verifyFrameMac(frame, signedBytes, key) of the protocol, for a key made by advertMacKey. */
export function verifyAdvertMac(
  frame: Uint8Array,
  signedBytes: number,
  key: AdvertMacKey,
): boolean {
  if (frame.length !== signedBytes + MAC_BYTES) return false;
  const len = 2 + signedBytes;
  const blocks = Math.ceil(len / 16);
  const size = blocks * 16;
  if (scratch.length < size) scratch = Buffer.alloc(size);
  const m = scratch;
  m[0] = COMPANY_ID & 0xff;
  m[1] = COMPANY_ID >> 8;
  for (let i = 0; i < signedBytes; i++) m[2 + i] = frame[i]!;
  const complete = len % 16 === 0;
  if (!complete) {
    m[len] = 0x80;
    for (let i = len + 1; i < size; i++) m[i] = 0;
  }
  const st = key.state;
  const k = complete ? K1 : K2;
  const lastBlock = size - 16;
  for (let i = 0; i < 16; i++) m[lastBlock + i] = m[lastBlock + i]! ^ st[k + i]!;
  for (let i = 0; i < 16; i++) m[i] = m[i]! ^ st[LAST + i]!;
  const out = key.cipher.update(m.subarray(0, size));
  let diff = 0;
  for (let i = 0; i < 16; i++) {
    const t = out[lastBlock + i]!;
    st[LAST + i] = t;
    if (i < MAC_BYTES) diff |= t ^ frame[signedBytes + i]!;
  }
  return diff === 0;
}

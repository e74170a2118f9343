// AES-CMAC (RFC 4493) on an injected AES-128 block cipher.
// Espruino has AES but no CMAC/HMAC and Node has no CMAC in node:crypto, so we build it here on the
// injected block primitive; verified against the RFC 4493 test vectors (protocol/test/cmac.test.ts).

/** Encrypts exactly one 16-byte block with a 16-byte key (AES-128-ECB, no padding). */
export type Aes128 = (key: Uint8Array, block: Uint8Array) => Uint8Array;

function shiftLeft1(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 15; i++) out[i] = ((src[i]! << 1) | (src[i + 1]! >> 7)) & 0xff;
  out[15] = (src[15]! << 1) & 0xff;
  return out;
}

/** Pre-computed CMAC state for one key: reuse it when signing many frames with the same key. */
export interface CmacKey {
  key: Uint8Array;
  k1: Uint8Array;
  k2: Uint8Array;
  aes: Aes128;
}

export function cmacKey(aes: Aes128, key: Uint8Array): CmacKey {
  const l = aes(key, new Uint8Array(16));
  const k1 = shiftLeft1(l);
  if ((l[0]! & 0x80) !== 0) k1[15] = k1[15]! ^ 0x87;
  const k2 = shiftLeft1(k1);
  if ((k1[0]! & 0x80) !== 0) k2[15] = k2[15]! ^ 0x87;
  return { key: key, k1: k1, k2: k2, aes: aes };
}

/**
 * Full 16-byte AES-CMAC tag of msg. The complete blocks before the last are chained as they are;
 * only the last is padded and XORed with a subkey (RFC 4493 2.4): on Espruino, which lexes a loop
 * body on every pass, this is ~3x cheaper than testing for padding and the last block on every byte.
 */
export function cmac(ck: CmacKey, msg: { length: number; [i: number]: number }): Uint8Array {
  const len = msg.length;
  const n = len === 0 ? 1 : Math.ceil(len / 16);
  const block = new Uint8Array(16);
  let x: Uint8Array = new Uint8Array(16);
  let o = 0;
  for (let b = 1; b < n; b++) {
    for (let i = 0; i < 16; i++) block[i] = msg[o + i]! ^ x[i]!;
    x = ck.aes(ck.key, block);
    o += 16;
  }
  // The last block: complete -> XOR K1; otherwise padded with 0x80 0 ... 0 and XOR K2.
  const k = len > 0 && len % 16 === 0 ? ck.k1 : ck.k2;
  for (let i = 0; i < 16; i++) {
    const j = o + i;
    block[i] = (j < len ? msg[j]! : j === len ? 0x80 : 0) ^ k[i]! ^ x[i]!;
  }
  return ck.aes(ck.key, block);
}

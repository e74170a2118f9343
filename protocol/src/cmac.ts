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

/** Full 16-byte AES-CMAC tag of msg. */
export function cmac(ck: CmacKey, msg: { length: number; [i: number]: number }): Uint8Array {
  const n = msg.length === 0 ? 1 : Math.ceil(msg.length / 16);
  const complete = msg.length > 0 && msg.length % 16 === 0;
  let x: Uint8Array = new Uint8Array(16);
  for (let b = 0; b < n; b++) {
    const block = new Uint8Array(16);
    const last = b === n - 1;
    for (let i = 0; i < 16; i++) {
      const idx = b * 16 + i;
      let v = 0;
      if (idx < msg.length) v = msg[idx]!;
      else if (idx === msg.length) v = 0x80;
      if (last) v ^= complete ? ck.k1[i]! : ck.k2[i]!;
      block[i] = v ^ x[i]!;
    }
    x = ck.aes(ck.key, block);
  }
  return x;
}

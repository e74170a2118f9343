// AES-128 block encryption (FIPS-197) in plain code, for the two places that have no AES to inject:
// Bangle.js 2 firmware (built without `crypto.AES`, see shared/ESPRUINO.md) and the Wireshark
// dissector (Wireshark's Lua has no AES; this file is compiled to Lua by typescript-to-lua).
// Node keeps using node:crypto (nodeAes128), Puck.js keeps `crypto.AES`: this one is ~100x slower,
// which is fine for the few blocks per advert these callers need.
// Subset rules: Espruino (no Map, no spread, functions defined before use, typed arrays for tables)
// and Lua (no `>>`, numbers compared explicitly, never a plain array where bytes are expected).
// Tested against FIPS-197 Appendix B/C.1, node:crypto and RFC 4493 (protocol/test/aes128.test.ts).
import { fromHex } from "./bytes.js";
import type { Aes128 } from "./cmac.js";

// FIPS-197 Figure 7, row by row.
const SBOX_HEX =
  "637c777bf26b6fc53001672bfed7ab76ca82c97dfa5947f0add4a2af9ca472c0" +
  "b7fd9326363ff7cc34a5e5f171d8311504c723c31896059a071280e2eb27b275" +
  "09832c1a1b6e5aa0523bd6b329e32f8453d100ed20fcb15b6acbbe394a4c58cf" +
  "d0efaafb434d338545f9027f503c9fa851a3408f929d38f5bcb6da2110fff3d2" +
  "cd0c13ec5f974417c4a77e3d645d197360814fdc222a908846eeb814de5e0bdb" +
  "e0323a0a4906245cc2d3ac629195e479e7c8376d8dd54ea96c56f4ea657aae08" +
  "ba78252e1ca6b4c6e8dd741f4bbd8b8a703eb5664803f60e613557b986c11d9e" +
  "e1f8981169d98e949b1e87e9ce5528df8ca1890dbfe6426841992d0fb054bb16";

let sbox: Uint8Array | null = null;

function sboxTable(): Uint8Array {
  if (sbox === null) sbox = fromHex(SBOX_HEX)!;
  return sbox;
}

/** Multiplication by x (0x02) in GF(2^8) with the AES polynomial. */
function xtime(x: number): number {
  return ((x << 1) ^ ((x & 0x80) !== 0 ? 0x1b : 0)) & 0xff;
}

/** The 11 round keys (176 bytes) of a 16-byte key. */
export function expandAesKey(key: Uint8Array): Uint8Array {
  const s = sboxTable();
  const w = new Uint8Array(176);
  for (let i = 0; i < 16; i++) w[i] = key[i]!;
  let rcon = 1;
  for (let i = 16; i < 176; i += 4) {
    let t0 = w[i - 4]!;
    let t1 = w[i - 3]!;
    let t2 = w[i - 2]!;
    let t3 = w[i - 1]!;
    if (i % 16 === 0) {
      const first = t0;
      t0 = s[t1]! ^ rcon;
      t1 = s[t2]!;
      t2 = s[t3]!;
      t3 = s[first]!;
      rcon = xtime(rcon);
    }
    w[i] = w[i - 16]! ^ t0;
    w[i + 1] = w[i - 15]! ^ t1;
    w[i + 2] = w[i - 14]! ^ t2;
    w[i + 3] = w[i - 13]! ^ t3;
  }
  return w;
}

/** Encrypts one 16-byte block with expanded round keys (from expandAesKey). */
export function aesEncryptBlock(roundKeys: Uint8Array, block: Uint8Array): Uint8Array {
  const s = sboxTable();
  let st = new Uint8Array(16);
  for (let i = 0; i < 16; i++) st[i] = block[i]! ^ roundKeys[i]!;
  for (let round = 1; round <= 10; round++) {
    // SubBytes and ShiftRows: row r of column c comes from column (c + r) mod 4.
    const t = new Uint8Array(16);
    for (let c = 0; c < 4; c++) {
      for (let r = 0; r < 4; r++) t[4 * c + r] = s[st[4 * ((c + r) % 4) + r]!]!;
    }
    if (round < 10) {
      for (let c = 0; c < 4; c++) {
        const o = 4 * c;
        const a0 = t[o]!;
        const a1 = t[o + 1]!;
        const a2 = t[o + 2]!;
        const a3 = t[o + 3]!;
        const all = a0 ^ a1 ^ a2 ^ a3;
        t[o] = a0 ^ all ^ xtime(a0 ^ a1);
        t[o + 1] = a1 ^ all ^ xtime(a1 ^ a2);
        t[o + 2] = a2 ^ all ^ xtime(a2 ^ a3);
        t[o + 3] = a3 ^ all ^ xtime(a3 ^ a0);
      }
    }
    const k = 16 * round;
    for (let i = 0; i < 16; i++) t[i] = t[i]! ^ roundKeys[k + i]!;
    st = t;
  }
  return st;
}

// The round keys of the last key used: CMAC and the KDF call the cipher many times with one key.
let lastKey: Uint8Array | null = null;
let lastRoundKeys: Uint8Array | null = null;

function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** AES-128-ECB of one block, in plain code: the Aes128 to inject where the platform has none. */
export const softAes128: Aes128 = (key, block) => {
  if (lastKey === null || lastRoundKeys === null || !sameKey(lastKey, key)) {
    const copy = new Uint8Array(16);
    for (let i = 0; i < 16; i++) copy[i] = key[i]!;
    lastKey = copy;
    lastRoundKeys = expandAesKey(copy);
  }
  return aesEncryptBlock(lastRoundKeys, block);
};

// An AES-128 block primitive for the gateway's hot path. Keys that are used again and again
// (the deployment master key, the pseudonym key, the MAC keys of recently heard devices) are
// "pinned": they keep one ECB cipher object that is reused for every block (ECB has no chaining,
// so update() on 16 bytes is one block encryption), ~6x faster than a cipher per block. Other
// keys get a one-shot cipher that is finalised at once, so its native OpenSSL context is freed
// immediately (building tables for 100k devices would otherwise hold ~100 MB until a GC).
import { createCipheriv, type Cipher } from "node:crypto";
import type { Aes128 } from "@leiden-iot/protocol";

const pinned = new WeakMap<Uint8Array, Cipher>();

/** Keeps a reusable cipher for this key object (released when the key is garbage collected). */
export function pinAesKey(key: Uint8Array): void {
  if (pinned.has(key)) return;
  const c = createCipheriv("aes-128-ecb", key, null);
  c.setAutoPadding(false);
  pinned.set(key, c);
}

export const cachedAes128: Aes128 = (key, block) => {
  const p = pinned.get(key);
  if (p) {
    const out = p.update(block);
    return new Uint8Array(out.buffer, out.byteOffset, 16);
  }
  return aesBlocks(key, block);
};

/** AES-128-ECB of one or more blocks under one key with a single, finalised cipher. */
export function aesBlocks(key: Uint8Array, blocks: Uint8Array): Uint8Array {
  const c = createCipheriv("aes-128-ecb", key, null);
  c.setAutoPadding(false);
  const out = c.update(blocks);
  c.final();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Runs fn with an AES that keeps one cipher for `key` for the duration of the call (every block
 * under it reuses that cipher; other keys go through cachedAes128), then frees it. For bulk work
 * under many keys used a few times each: the EID tables derive a device's EID key with 4 blocks
 * under its device key, which would otherwise cost 4 cipher objects.
 */
export function withKeyAes<T>(key: Uint8Array, fn: (aes: Aes128) => T): T {
  const c = createCipheriv("aes-128-ecb", key, null);
  c.setAutoPadding(false);
  try {
    return fn((k, block) => {
      if (k !== key) return cachedAes128(k, block);
      const out = c.update(block);
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    });
  } finally {
    c.final();
  }
}

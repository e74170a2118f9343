// The AES-128 block primitive for Node (gateway, Node-RED, tools, tests). Kept out of the core so
// protocol/src has no platform imports; the firmware injects Espruino's require("crypto").AES.
import { createCipheriv } from "node:crypto";
import type { Aes128 } from "../cmac.js";

export const nodeAes128: Aes128 = (key, block) => {
  const c = createCipheriv("aes-128-ecb", key, null);
  c.setAutoPadding(false);
  const out = c.update(block);
  c.final();
  return new Uint8Array(out.buffer, out.byteOffset, 16);
};

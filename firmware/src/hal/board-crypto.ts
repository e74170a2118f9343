// Which crypto modules each board's Espruino firmware is built with (the board file
// `boards/<BOARD>.py` in the Espruino source, 2v29), and the AES-128 each board therefore uses.
// Puck.js v2: CRYPTO, SHA256, AES -> `require("crypto").AES` (hardware-assisted ECB).
// Bangle.js 2: CRYPTO, SHA256, SHA512, AES_CCM -> no `crypto.AES` (only the global AES.ccm*, which
// cannot encrypt one block of our choosing), so it runs protocol's software AES (softAes128).
// src/hal/boards.ts picks each board's cipher by this table (espruinoAes where `aes`, else
// softAes128; a test checks they agree), and the simulator offers exactly these modules per board
// (src/sim/espruino-context.ts), so code that needs a missing module fails there as on the board.
/* eslint-disable @typescript-eslint/no-require-imports -- Espruino built-in modules are loaded with require() */
import type { Aes128 } from "@leiden-iot/protocol/device";
import "./espruino-api.js";

export type CryptoModule = "CRYPTO" | "SHA256" | "SHA512" | "AES" | "AES_CCM";

export interface BoardCrypto {
  modules: CryptoModule[];
  /** true: `require("crypto").AES.encrypt` exists on this board. */
  aes: boolean;
}

export const BOARD_CRYPTO: Record<"puckjs2" | "banglejs2", BoardCrypto> = {
  puckjs2: { modules: ["CRYPTO", "SHA256", "AES"], aes: true },
  banglejs2: { modules: ["CRYPTO", "SHA256", "SHA512", "AES_CCM"], aes: false },
};

/** AES-128-ECB of one block through Espruino's crypto library (boards with `AES`). */
export function espruinoAes(): Aes128 {
  const AES = require("crypto").AES;
  return (key, block) => new Uint8Array(AES.encrypt(block, key, { mode: "ECB" }));
}

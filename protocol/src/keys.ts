// Key hierarchy. One deployment master key lets a gateway derive every device key, so it holds a
// single secret; each device holds only its own key. Derivation is NIST SP 800-108 counter mode
// with AES-CMAC as the PRF (one block, L = 128 bits), with a distinct label per purpose.
import { asciiBytes, writeU32 } from "./bytes.js";
import { cmac, cmacKey, type Aes128 } from "./cmac.js";

export const KEY_BYTES = 16;

/** SP 800-108 KDF in counter mode: CMAC(key, 0x01 || label || 0x00 || context || 0x0080). */
export function kdf(aes: Aes128, key: Uint8Array, label: string, context: Uint8Array): Uint8Array {
  const lab = asciiBytes(label);
  const msg = new Uint8Array(1 + lab.length + 1 + context.length + 2);
  msg[0] = 1;
  for (let i = 0; i < lab.length; i++) msg[1 + i] = lab[i]!;
  msg[1 + lab.length] = 0;
  for (let i = 0; i < context.length; i++) msg[2 + lab.length + i] = context[i]!;
  msg[msg.length - 2] = 0x00;
  msg[msg.length - 1] = 0x80;
  return cmac(cmacKey(aes, key), msg);
}

function u32Bytes(n: number): Uint8Array {
  const b = new Uint8Array(4);
  writeU32(b, 0, n);
  return b;
}

/** The 128-bit key of one device, derived from the deployment master key and its 32-bit id. */
export function deriveDeviceKey(aes: Aes128, masterKey: Uint8Array, deviceId: number): Uint8Array {
  return kdf(aes, masterKey, "LIOT-DEVICE", u32Bytes(deviceId));
}

/** Purpose keys a device derives once at boot from its device key. */
export interface DeviceKeys {
  /** Signs frames (AES-CMAC, truncated). */
  mac: Uint8Array;
  /** Derives the rotating ephemeral identifier and BLE address. */
  eid: Uint8Array;
}

export function deviceKeys(aes: Aes128, deviceKey: Uint8Array): DeviceKeys {
  return {
    mac: kdf(aes, deviceKey, "LIOT-MAC", new Uint8Array(0)),
    eid: kdf(aes, deviceKey, "LIOT-EID", new Uint8Array(0)),
  };
}

/** LoRaWAN AppKey of a classroom node (OTAA join), derived from its device key. */
export function deriveLoraAppKey(aes: Aes128, deviceKey: Uint8Array): Uint8Array {
  return kdf(aes, deviceKey, "LIOT-LORA-APPKEY", new Uint8Array(0));
}

/** Key of the gateways' signed time beacon, shared by all devices of a deployment. */
export function deriveTimeKey(aes: Aes128, masterKey: Uint8Array): Uint8Array {
  return kdf(aes, masterKey, "LIOT-TIME", new Uint8Array(0));
}

/**
 * Key that turns device ids into pseudonyms. The scope (e.g. "healthcoin-2027") lets a programme
 * rotate all pseudonyms at once so that data sets of two periods cannot be joined.
 */
export function derivePseudonymKey(aes: Aes128, masterKey: Uint8Array, scope: string): Uint8Array {
  return kdf(aes, masterKey, "LIOT-PSEUDONYM", asciiBytes(scope));
}

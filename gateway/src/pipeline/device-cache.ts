// Per-device values that cost AES operations to derive (MAC key schedule, pseudonym), kept for
// the most recently heard devices only so 100k registered devices do not all sit in memory.
import { cmacKey, deviceKeys, pseudonymOf, type CmacKey } from "@leiden-iot/protocol";
import type { KeyRegistry } from "../registry/registry.js";
import { cachedAes128, pinAesKey } from "../crypto/fast-aes.js";
import { advertMacKey, type AdvertMacKey } from "../crypto/advert-mac.js";

interface Entry {
  /** The device's MAC key with a CBC cipher of its own, for verifyAdvertMac. */
  advert: AdvertMacKey;
  pseudonym: string;
}

export class DeviceCache {
  private readonly map = new Map<number, Entry>();

  constructor(
    private readonly registry: KeyRegistry,
    private readonly cap = 10_000,
  ) {
    pinAesKey(registry.pseudonymKey);
  }

  private entry(id: number): Entry | undefined {
    let e = this.map.get(id);
    if (e) {
      this.map.delete(id);
      this.map.set(id, e);
      return e;
    }
    const key = this.registry.deviceKey(id);
    if (!key) return undefined;
    e = {
      advert: advertMacKey(cmacKey(cachedAes128, deviceKeys(cachedAes128, key).mac)),
      pseudonym: pseudonymOf(cachedAes128, this.registry.pseudonymKey, id),
    };
    this.map.set(id, e);
    if (this.map.size > this.cap) this.map.delete(this.map.keys().next().value!);
    return e;
  }

  /** The device's CMAC key in the protocol's form (derived again: not on the hot path). */
  macKey(id: number): CmacKey | undefined {
    const key = this.entry(id) && this.registry.deviceKey(id);
    return key ? cmacKey(cachedAes128, deviceKeys(cachedAes128, key).mac) : undefined;
  }

  advertMac(id: number): AdvertMacKey | undefined {
    return this.entry(id)?.advert;
  }

  pseudonym(id: number): string | undefined {
    return this.entry(id)?.pseudonym;
  }

  get size(): number {
    return this.map.size;
  }
}

// ABP / pre-provisioned LoRaWAN 1.0.x sessions: what the semtech-udp source needs to verify and
// decrypt a data uplink, looked up in the gateway's key registry (gateway/src/registry/).
import type { KeyRegistry } from "../registry/registry.js";

export interface LoraSession {
  devEui: string; // 16 lower-case hex characters
  devAddr: string; // 8 lower-case hex characters (big-endian, as printed)
  nwkSKey: Uint8Array; // 16 bytes: MIC
  appSKey: Uint8Array; // 16 bytes: FRMPayload on fPort > 0
}

export interface LoraSessionLookup {
  /** Every session using this DevAddr (DevAddr is not unique; the MIC tells them apart). */
  sessionsForDevAddr(devAddr: string): readonly LoraSession[];
}

/** Sessions of the registry's ABP devices (those with devAddr, nwkSKey and appSKey). */
export function registrySessions(registry: KeyRegistry): LoraSessionLookup {
  return {
    sessionsForDevAddr(devAddr) {
      const out: LoraSession[] = [];
      for (const d of registry.byDevAddr(devAddr)) {
        const l = d.lora;
        if (l?.devAddr && l.nwkSKey?.length === 16 && l.appSKey?.length === 16)
          out.push({
            devEui: l.devEui,
            devAddr: l.devAddr,
            nwkSKey: l.nwkSKey,
            appSKey: l.appSKey,
          });
      }
      return out;
    },
  };
}

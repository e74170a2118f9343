// ABP / pre-provisioned LoRaWAN 1.0.x sessions: what the semtech-udp source needs to verify and
// decrypt a data uplink. The gateway's key registry (gateway/src/registry/) provides them through
// this small interface; `staticSessions` serves tests and small fixed deployments.

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

const HEX = /^[0-9a-f]*$/;

/** Checks the shape of a session; returns the problem, or null. */
export function sessionProblem(s: LoraSession): string | null {
  if (s.devEui.length !== 16 || !HEX.test(s.devEui)) return "devEui must be 16 lower-case hex";
  if (s.devAddr.length !== 8 || !HEX.test(s.devAddr)) return "devAddr must be 8 lower-case hex";
  if (s.nwkSKey.length !== 16) return "nwkSKey must be 16 bytes";
  if (s.appSKey.length !== 16) return "appSKey must be 16 bytes";
  return null;
}

export function staticSessions(sessions: readonly LoraSession[]): LoraSessionLookup {
  const byAddr = new Map<string, LoraSession[]>();
  for (const s of sessions) {
    const problem = sessionProblem(s);
    if (problem) throw new Error(`LoRa session for ${s.devEui}: ${problem}`);
    const list = byAddr.get(s.devAddr) ?? [];
    list.push(s);
    byAddr.set(s.devAddr, list);
  }
  return { sessionsForDevAddr: (devAddr) => byAddr.get(devAddr) ?? [] };
}

// The packet forwarders a semtech-udp source has heard: last seen, counters, the downlink path
// (address of the last PULL_DATA) and the last "stat" report, bounded in number.
import type { RemoteInfo } from "node:dgram";

/** Packet forwarders send PULL_DATA every 10 s (keepalive_interval) and stat every 30 s. */
export const SILENT_FORWARDER_S = 120;
/** Packet forwarders remembered (a school has one or two; a region a few hundred). */
export const MAX_FORWARDERS = 1024;

/** What this source knows about one packet forwarder. */
export interface ForwarderState {
  gatewayEui: string;
  address: string;
  port: number;
  lastSeenAt: number; // Unix seconds
  pushData: number;
  pushAcks: number;
  rxpk: number;
  pullData: number;
  /** Where PULL_RESP (downlinks) go: the address of its last PULL_DATA. */
  downlinkPath?: { address: string; port: number; version: number };
  txAcks: number;
  txErrors: number;
  lastStat?: Record<string, unknown>;
}

export class ForwarderTable {
  private readonly byEui = new Map<string, ForwarderState>();

  /** The forwarder's record, created on first contact, with its address and last-seen updated. */
  touch(gatewayEui: string, rinfo: RemoteInfo, nowS: number): ForwarderState {
    let f = this.byEui.get(gatewayEui);
    if (!f) {
      // Anyone can send datagrams with made-up EUIs: forget the quietest one beyond the cap.
      if (this.byEui.size >= MAX_FORWARDERS) this.forgetQuietest();
      f = {
        gatewayEui,
        address: rinfo.address,
        port: rinfo.port,
        lastSeenAt: nowS,
        pushData: 0,
        pushAcks: 0,
        rxpk: 0,
        pullData: 0,
        txAcks: 0,
        txErrors: 0,
      };
      this.byEui.set(gatewayEui, f);
    }
    f.address = rinfo.address;
    f.port = rinfo.port;
    f.lastSeenAt = nowS;
    return f;
  }

  get(gatewayEui: string): ForwarderState | undefined {
    return this.byEui.get(gatewayEui);
  }

  list(): ForwarderState[] {
    return [...this.byEui.values()].map((f) => ({ ...f }));
  }

  /** "n packet forwarders seen", naming the silent ones. */
  health(nowS: number): { allSilent: boolean; detail: string } {
    const n = this.byEui.size;
    const silent = [...this.byEui.values()].filter((f) => f.lastSeenAt < nowS - SILENT_FORWARDER_S);
    const seen = `${n} packet forwarder${n === 1 ? "" : "s"} seen`;
    if (silent.length === 0) return { allSilent: false, detail: seen };
    return {
      allSilent: silent.length === n,
      detail: `${seen}; silent for over ${SILENT_FORWARDER_S} s: ${silent.map((f) => f.gatewayEui).join(", ")} (is the LoRa gateway powered and online?)`,
    };
  }

  private forgetQuietest(): void {
    let oldest: ForwarderState | undefined;
    for (const f of this.byEui.values())
      if (!oldest || f.lastSeenAt < oldest.lastSeenAt) oldest = f;
    if (oldest) this.byEui.delete(oldest.gatewayEui);
  }
}

// The packet forwarders a semtech-udp source has heard: last seen, counters, the downlink path
// (address of the last PULL_DATA) and the last "stat" report, bounded in number. A gateway id is
// only a claim in a UDP datagram, so a forwarder becomes "verified" once it delivers a frame whose
// MIC verifies with a registered session; unverified ids live in a small pool of their own (the
// quietest forgotten first), never push a verified one out, and do not count for health once a
// verified forwarder exists.
import type { RemoteInfo } from "node:dgram";
import type { ForwarderCounts } from "../source.js";

/** Packet forwarders send PULL_DATA every 10 s (keepalive_interval) and stat every 30 s. */
export const SILENT_FORWARDER_S = 120;
/** Verified packet forwarders remembered (a school has one or two; a region a few hundred). */
export const MAX_FORWARDERS = 1024;
/** Unverified gateway ids remembered (a new forwarder is here until its first frame). */
export const MAX_UNVERIFIED_FORWARDERS = 64;
/** Silent forwarders named in the health detail (the rest are counted). */
const NAMED_SILENT = 10;

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
  /** Delivered at least one frame whose MIC verified. */
  verified: boolean;
}

export class ForwarderTable {
  private readonly byEui = new Map<string, ForwarderState>();
  private unverified = 0;

  /** The forwarder's record, created on first contact, with its address and last-seen updated. */
  touch(gatewayEui: string, rinfo: RemoteInfo, nowS: number): ForwarderState {
    let f = this.byEui.get(gatewayEui);
    if (!f) {
      // Anyone can send datagrams with made-up EUIs: forget the quietest unverified one.
      if (this.unverified >= MAX_UNVERIFIED_FORWARDERS) this.forgetQuietest(false);
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
        verified: false,
      };
      this.byEui.set(gatewayEui, f);
      this.unverified++;
    }
    f.address = rinfo.address;
    f.port = rinfo.port;
    f.lastSeenAt = nowS;
    return f;
  }

  /** This forwarder delivered a frame whose MIC verified: it is a real one. */
  verify(gatewayEui: string): void {
    const f = this.byEui.get(gatewayEui);
    if (!f || f.verified) return;
    if (this.byEui.size - this.unverified >= MAX_FORWARDERS) this.forgetQuietest(true);
    f.verified = true;
    this.unverified--;
  }

  get(gatewayEui: string): ForwarderState | undefined {
    return this.byEui.get(gatewayEui);
  }

  list(): ForwarderState[] {
    return [...this.byEui.values()].map((f) => ({ ...f }));
  }

  counts(nowS: number): ForwarderCounts {
    let verified = 0;
    let silent = 0;
    for (const f of this.byEui.values()) {
      if (!f.verified) continue;
      verified++;
      if (f.lastSeenAt < nowS - SILENT_FORWARDER_S) silent++;
    }
    return { verified, silent, unverified: this.unverified };
  }

  /**
   * "n packet forwarders seen", naming the silent ones: the verified forwarders once there is
   * one (made-up ids then do not matter), else every id heard (a new installation).
   */
  health(nowS: number): { allSilent: boolean; detail: string } {
    const anyVerified = this.byEui.size > this.unverified;
    const counted = [...this.byEui.values()].filter((f) => f.verified || !anyVerified);
    const n = counted.length;
    const silent = counted.filter((f) => f.lastSeenAt < nowS - SILENT_FORWARDER_S);
    const seen = `${n} packet forwarder${n === 1 ? "" : "s"} seen`;
    if (silent.length === 0) return { allSilent: false, detail: seen };
    const named = silent.slice(0, NAMED_SILENT).map((f) => f.gatewayEui);
    if (silent.length > NAMED_SILENT) named.push(`and ${silent.length - NAMED_SILENT} more`);
    return {
      allSilent: silent.length === n,
      detail: `${seen}; silent for over ${SILENT_FORWARDER_S} s: ${named.join(", ")} (is the LoRa gateway powered and online?)`,
    };
  }

  private forgetQuietest(verified: boolean): void {
    let oldest: ForwarderState | undefined;
    for (const f of this.byEui.values())
      if (f.verified === verified && (!oldest || f.lastSeenAt < oldest.lastSeenAt)) oldest = f;
    if (!oldest) return;
    this.byEui.delete(oldest.gatewayEui);
    if (!verified) this.unverified--;
  }
}

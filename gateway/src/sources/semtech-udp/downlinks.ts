// Class A downlinks through the packet forwarder: queued per device, sent as PULL_RESP in RX1 of
// the device's next uplink, confirmed or refused by the forwarder's TX_ACK (refusals such as
// TOO_LATE are retried on a later uplink). FCntDown is persisted before each transmission.
import { accept, reject, type Result } from "@leiden-iot/protocol";
import {
  buildDataDownlink,
  EU868_WINDOWS,
  txpkFor,
  type DataDownlink,
  type RxWindow,
  type UplinkRadio,
} from "../../lorawan/downlink.js";
import type { FcntDownStore } from "../../lorawan/fcnt-store.js";
import type { LoraSession } from "../../lorawan/session.js";
import { RejectionCounts } from "../../lorawan/rejection-log.js";
import { pullResp } from "./datagram.js";

export const MAX_QUEUED_PER_DEVICE = 8;
export const MAX_ATTEMPTS = 3;
/** A PULL_RESP without TX_ACK after this long is assumed sent (v1 forwarders send no TX_ACK). */
const TX_ACK_TIMEOUT_MS = 30_000;

interface Queued {
  id: number;
  devEui: string;
  downlink: DataDownlink;
  attempts: number;
}

export interface DownlinkPath {
  address: string;
  port: number;
  version: number;
}

export interface DownlinkStats {
  queued: number;
  transmitted: number; // PULL_RESP sent
  confirmed: number; // TX_ACK without error
  unconfirmed: number; // no TX_ACK in time
  failed: Record<string, number>; // TX_ACK errors and give-ups, by reason
}

export class DownlinkScheduler {
  private readonly queues = new Map<string, Queued[]>();
  private readonly inFlight = new Map<number, { item: Queued; at: number }>();
  private readonly failed = new RejectionCounts();
  private nextId = 1;
  private nextToken = 1;
  private transmitted = 0;
  private confirmed = 0;
  private unconfirmed = 0;

  constructor(
    private readonly fcntDown: FcntDownStore,
    private readonly windows: RxWindow = EU868_WINDOWS,
    private readonly now: () => number = Date.now,
  ) {}

  enqueue(devEui: string, downlink: DataDownlink): Result<{ id: number }, "queue_full"> {
    const q = this.queues.get(devEui) ?? [];
    if (q.length >= MAX_QUEUED_PER_DEVICE)
      return reject("queue_full", `${devEui} has ${q.length} downlinks waiting`);
    const item = { id: this.nextId++, devEui, downlink, attempts: 0 };
    q.push(item);
    this.queues.set(devEui, q);
    return accept({ id: item.id });
  }

  pending(devEui: string): number {
    return this.queues.get(devEui)?.length ?? 0;
  }

  /**
   * For the first copy of a verified uplink: the PULL_RESP that answers it in RX1, or undefined
   * (nothing queued, or no way back to the forwarder yet: it has not sent PULL_DATA).
   */
  onUplink(
    session: LoraSession,
    radio: UplinkRadio,
    path: DownlinkPath | undefined,
    confirmedUplink: boolean,
  ): Buffer | undefined {
    this.expire();
    const q = this.queues.get(session.devEui);
    const item = q?.[0];
    if (!q || !item) return undefined;
    if (!path) {
      this.failed.add("no_downlink_path");
      return undefined;
    }
    q.shift();
    if (q.length === 0) this.queues.delete(session.devEui);
    item.attempts++;
    const fCntDown = this.fcntDown.take(session.devEui);
    const phy = buildDataDownlink(session, fCntDown, { ...item.downlink, ack: confirmedUplink });
    const token = this.nextToken;
    this.nextToken = (this.nextToken % 0xffff) + 1;
    this.inFlight.set(token, { item, at: this.now() });
    this.transmitted++;
    return pullResp(path.version, token, txpkFor(radio, phy, "rx1", this.windows));
  }

  /** A TX_ACK: error undefined means the forwarder accepted the transmission. */
  onTxAck(token: number, error: string | undefined): void {
    const f = this.inFlight.get(token);
    if (!f) return;
    this.inFlight.delete(token);
    if (error === undefined) {
      this.confirmed++;
      return;
    }
    this.failed.add(error.toLowerCase());
    if (f.item.attempts < MAX_ATTEMPTS) {
      const q = this.queues.get(f.item.devEui) ?? [];
      q.unshift(f.item);
      this.queues.set(f.item.devEui, q);
    } else this.failed.add("gave_up");
  }

  private expire(): void {
    const cutoff = this.now() - TX_ACK_TIMEOUT_MS;
    for (const [token, f] of this.inFlight)
      if (f.at < cutoff) {
        this.inFlight.delete(token);
        this.unconfirmed++;
      }
  }

  stats(): DownlinkStats {
    let queued = 0;
    for (const q of this.queues.values()) queued += q.length;
    return {
      queued,
      transmitted: this.transmitted,
      confirmed: this.confirmed,
      unconfirmed: this.unconfirmed,
      failed: this.failed.toJSON(),
    };
  }
}

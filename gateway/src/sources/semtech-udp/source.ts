// The semtech-udp source: a school's own LoRa gateway runs the Semtech packet forwarder pointed
// at this UDP port. Thin adapter around the pure cores (datagram.ts, rxpk.ts, lorawan/uplink.ts):
// every data uplink is verified and decrypted with its ABP session, emitted, and only when every
// frame of a PUSH_DATA is stored (or definitively rejected) does the gateway get its PUSH_ACK.
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import type { AddressInfo } from "node:net";
import { encodeDownlink, type ClassroomDownlink, reject, type Result } from "@leiden-iot/protocol";
import type { RxWindow } from "../../lorawan/downlink.js";
import type { FcntDownStore, FcntStore } from "../../lorawan/fcnt-store.js";
import type { LoraSessionLookup } from "../../lorawan/session.js";
import { openDataUplink } from "../../lorawan/uplink.js";
import { SearchBudget } from "../../lorawan/first-contact.js";
import { notStored, RejectionLog, silentLog, type SourceLog } from "../../lorawan/rejection-log.js";
import type {
  Disposition,
  Emit,
  ForwarderCounts,
  RawFrame,
  Source,
  SourceHealth,
} from "../source.js";
import { parseDatagram, pullAck, pushAck } from "./datagram.js";
import { parseRxpk } from "./rxpk.js";
import { DownlinkScheduler, type DownlinkStats } from "./downlinks.js";
import { ForwarderTable, type ForwarderState } from "./forwarders.js";
import { KeyedSerial } from "./serial.js";

export const DEFAULT_SEMTECH_UDP_PORT = 1700;
const STOP_WAIT_MS = 5000;

export interface SemtechUdpSourceOptions {
  /** Address to listen on (config sources.semtechUdp.host): "0.0.0.0" = every interface. */
  host?: string;
  port?: number;
  sessions: LoraSessionLookup;
  fcnt: FcntStore;
  /** The gateway's logger (a child bound to this source's name: no "source" key of our own). */
  log?: SourceLog;
  /** Every rejection's reason, for the gateway's liot_frames_rejected_total{source,reason}. */
  onReject?: (reason: string) => void;
  /** Class A downlinks (PULL_RESP in RX1); without this, queueDownlink refuses. */
  downlinks?: { fcntDown: FcntDownStore; windows?: RxWindow };
  /** Milliseconds since the epoch (tests may pin the clock). */
  now?: () => number;
}

export interface SemtechUdpStats {
  datagrams: number;
  framesIn: number;
  emitted: number;
  dispositions: Record<Disposition["status"], number>;
  rejections: Record<string, number>;
  forwarders: ForwarderState[];
  downlinks?: DownlinkStats;
}

export class SemtechUdpSource implements Source {
  readonly name = "semtech-udp";
  private socket: Socket | null = null;
  private stopping = false;
  private emit: Emit | null = null;
  private state: SourceHealth["state"] = "stopped";
  private detail: string | undefined;
  private datagrams = 0;
  private framesIn = 0;
  private emitted = 0;
  private lastFrameAt: number | undefined;
  private readonly dispositions = { accepted: 0, duplicate: 0, rejected: 0 };
  private readonly forwarders = new ForwarderTable();
  private readonly serial = new KeyedSerial();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly log: SourceLog;
  readonly rejections: RejectionLog;
  private readonly now: () => number;
  private readonly downlinks: DownlinkScheduler | null;
  private readonly firstContact: SearchBudget;

  constructor(private readonly opts: SemtechUdpSourceOptions) {
    this.log = opts.log ?? silentLog;
    this.rejections = new RejectionLog(this.log, this.name, undefined, opts.onReject);
    this.now = opts.now ?? Date.now;
    this.firstContact = new SearchBudget(undefined, undefined, this.now);
    this.downlinks = opts.downlinks
      ? new DownlinkScheduler(opts.downlinks.fcntDown, opts.downlinks.windows, this.now)
      : null;
  }

  /**
   * Queues a classroom downlink for an ABP device; it goes out in RX1 after the device's next
   * uplink, through the packet forwarder that heard it.
   */
  queueDownlink(
    devEui: string,
    d: ClassroomDownlink,
  ): Result<{ id: number }, "no_downlinks" | "bad_downlink" | "queue_full"> {
    if (!this.downlinks) return reject("no_downlinks", "downlinks are not enabled");
    const encoded = encodeDownlink(d);
    if (!encoded.ok) return reject("bad_downlink", encoded.detail);
    return this.downlinks.enqueue(devEui.toLowerCase(), {
      fPort: encoded.value.fPort,
      payload: encoded.value.bytes,
    });
  }

  async start(emit: Emit): Promise<void> {
    if (this.socket) throw new Error("semtech-udp source already started");
    this.emit = emit;
    this.state = "starting";
    const bind = this.opts.host ?? "0.0.0.0";
    const port = this.opts.port ?? DEFAULT_SEMTECH_UDP_PORT;
    const socket = createSocket({ type: bind.includes(":") ? "udp6" : "udp4" });
    this.socket = socket;
    socket.on("message", (msg, rinfo) => {
      if (!this.stopping) this.track(this.onDatagram(msg, rinfo));
    });
    await new Promise<void>((resolve, reject) => {
      const fail = (e: Error) => reject(e);
      socket.once("error", fail);
      socket.bind(port, bind, () => {
        socket.off("error", fail);
        resolve();
      });
    }).catch((e: Error) => {
      this.socket = null;
      this.state = "unavailable";
      this.detail = `cannot listen on udp ${bind}:${port}: ${e.message} (another packet forwarder server running? set sources.semtechUdp.port)`;
      throw new Error(this.detail);
    });
    socket.on("error", (e) => {
      this.state = "degraded";
      this.detail = `UDP socket error: ${e.message}`;
      this.log.error({ err: e.message }, "semtech-udp socket error");
    });
    this.state = "running";
    this.detail = undefined;
    this.log.info({ bind, port: this.address().port }, "semtech-udp listening");
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    this.stopping = true;
    // Frames already being stored finish (and are acknowledged); new datagrams are ignored.
    // A store that never answers does not hold the shutdown longer than STOP_WAIT_MS.
    await Promise.race([
      this.settled().then(() => this.serial.idle()),
      new Promise((r) => setTimeout(r, STOP_WAIT_MS).unref()),
    ]);
    this.socket = null;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    this.stopping = false;
    this.state = "stopped";
  }

  /** The bound address (port 0 in the options picks a free port). */
  address(): AddressInfo {
    if (!this.socket) throw new Error("semtech-udp source is not started");
    return this.socket.address();
  }

  /**
   * Degraded while storing fails, or when every packet forwarder seen has gone silent (no
   * PULL_DATA keepalive or PUSH_DATA for SILENT_FORWARDER_S): the school's LoRa gateway is down.
   */
  health(): SourceHealth {
    const base = { name: this.name, framesIn: this.framesIn };
    const last = this.lastFrameAt !== undefined ? { lastFrameAt: this.lastFrameAt } : {};
    if (this.state !== "running" || this.detail !== undefined)
      return {
        ...base,
        state: this.state,
        ...(this.detail ? { detail: this.detail } : {}),
        ...last,
      };
    const h = this.forwarders.health(this.now() / 1000);
    return { ...base, state: h.allSilent ? "degraded" : "running", detail: h.detail, ...last };
  }

  forwarderCounts(): ForwarderCounts {
    return this.forwarders.counts(this.now() / 1000);
  }

  stats(): SemtechUdpStats {
    return {
      datagrams: this.datagrams,
      framesIn: this.framesIn,
      emitted: this.emitted,
      dispositions: { ...this.dispositions },
      rejections: this.rejections.counts.toJSON(),
      forwarders: this.forwarders.list(),
      ...(this.downlinks ? { downlinks: this.downlinks.stats() } : {}),
    };
  }

  /** Resolves when every datagram received so far has been handled (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private send(buf: Buffer, address: string, port: number): void {
    this.socket?.send(buf, port, address, (err) => {
      if (err) this.log.warn({ err: err.message }, "semtech-udp send failed");
    });
  }

  private async onDatagram(msg: Buffer, rinfo: RemoteInfo): Promise<void> {
    this.datagrams++;
    const parsed = parseDatagram(msg);
    const from = { remote: `${rinfo.address}:${rinfo.port}` };
    if (!parsed.ok) {
      this.rejections.record(parsed.reason, parsed.detail, from);
      return;
    }
    const m = parsed.value;
    const f = this.forwarders.touch(m.gatewayEui, rinfo, this.now() / 1000);
    if (m.kind === "pull_data") {
      f.pullData++;
      f.downlinkPath = { address: rinfo.address, port: rinfo.port, version: m.version };
      this.send(pullAck(m.version, m.token), rinfo.address, rinfo.port);
      return;
    }
    if (m.kind === "tx_ack") {
      f.txAcks++;
      this.downlinks?.onTxAck(m.token, m.error);
      if (m.error) {
        f.txErrors++;
        this.log.warn({ gatewayEui: m.gatewayEui, error: m.error }, "TX_ACK");
      }
      return;
    }
    f.pushData++;
    if (m.stat) f.lastStat = m.stat;
    try {
      for (let i = 0; i < m.rxpk.length; i++) await this.onRxpk(m.rxpk[i], i, m.gatewayEui);
    } catch (e) {
      // Not stored: no PUSH_ACK, so the forwarder counts this datagram as lost (and may resend).
      this.state = "degraded";
      this.detail = `storing a frame failed: ${(e as Error).message}`;
      this.rejections.record("store_failed", (e as Error).message, from);
      return;
    }
    if (this.state === "degraded" && this.detail?.startsWith("storing")) {
      this.state = "running";
      this.detail = undefined;
    }
    f.pushAcks++;
    this.send(pushAck(m.version, m.token), rinfo.address, rinfo.port);
  }

  /** Sends the device's next queued downlink in RX1 of this uplink, if there is one. */
  private answer(
    devEui: string,
    devAddr: string,
    confirmed: boolean,
    r: { tmst?: number; frequency: number; dataRate: string },
    gatewayEui: string,
  ): void {
    if (!this.downlinks || r.tmst === undefined || this.downlinks.pending(devEui) === 0) return;
    const session = this.opts.sessions.sessionsForDevAddr(devAddr).find((s) => s.devEui === devEui);
    const path = this.forwarders.get(gatewayEui)?.downlinkPath;
    if (!session) return;
    try {
      const resp = this.downlinks.onUplink(
        session,
        { tmst: r.tmst, frequency: r.frequency, dataRate: r.dataRate },
        path,
        confirmed,
      );
      if (resp && path) this.send(resp, path.address, path.port);
    } catch (e) {
      // A downlink problem (e.g. the counter store) must not cost the uplink its PUSH_ACK.
      this.log.error({ devEui, err: (e as Error).message }, "downlink failed");
    }
  }

  private async onRxpk(raw: unknown, index: number, gatewayEui: string): Promise<void> {
    const rx = parseRxpk(raw, index, this.now());
    const context = { gatewayEui };
    if (!rx.ok) {
      this.rejections.record(rx.reason, rx.detail, context);
      return;
    }
    this.framesIn++;
    this.lastFrameAt = rx.value.receivedAt;
    const fw = this.forwarders.get(gatewayEui);
    if (fw) fw.rxpk++;
    const phy = rx.value.phyPayload;
    // Same DevAddr bytes -> same queue: check, emit and advance the counter of one frame at a time.
    const key = phy.length >= 5 ? Buffer.from(phy.subarray(1, 5)).toString("hex") : "";
    await this.serial.run(key, async () => {
      const up = openDataUplink(phy, {
        sessions: this.opts.sessions,
        lastFcnt: (devEui) => this.opts.fcnt.last(devEui),
        searchUpperBits: () => this.firstContact.take(),
      });
      if (!up.ok) {
        this.rejections.record(up.reason, up.detail, context);
        return;
      }
      const u = up.value;
      const r = rx.value;
      this.forwarders.verify(gatewayEui);
      if (u.counter === "next") this.answer(u.devEui, u.devAddr, u.confirmed, r, gatewayEui);
      const frame: RawFrame = {
        source: "semtech-udp",
        channel: "lora",
        receivedAt: r.receivedAt,
        ...(r.rssi !== undefined ? { rssi: r.rssi } : {}),
        ...(r.snr !== undefined ? { snr: r.snr } : {}),
        lora: {
          devEui: u.devEui,
          devAddr: u.devAddr,
          fCnt: u.fCnt,
          fPort: u.fPort,
          payload: u.payload,
          dataRate: r.dataRate,
          frequency: r.frequency,
          radioGatewayId: gatewayEui,
        },
      };
      if (!this.emit) throw new Error("semtech-udp source is stopped");
      this.emitted++;
      // Storage failing (a throw, or store_failed): no counter advance, and no PUSH_ACK.
      const disposition = await this.emit(frame);
      if (notStored(disposition))
        throw new Error("detail" in disposition ? disposition.detail : "not stored");
      this.dispositions[disposition.status]++;
      // Accepted, duplicate or definitively rejected: this counter is used up either way.
      this.opts.fcnt.advance(u.devEui, u.fCnt, u.mic);
    });
  }
}

// The pure pipeline: decode -> authenticate (MAC + replay window) -> resolve ephemeral id ->
// pseudonym -> dedup (deterministic message id) -> SenML-CBOR envelope -> route. No I/O: counter
// states come from a lookup and go back to the caller, which stores them with the frame.
import {
  advertEidU32,
  loraSessionTag,
  BAND_SIGNED_BYTES,
  CLASSROOM_SIGNED_BYTES,
  ENVELOPE_SCHEMA,
  bandEnvelope,
  classroomAdvertEnvelope,
  classroomUplinkEnvelope,
  decodeAdvert,
  decodeUplink,
  envelopeTopic,
  envelopeUserProperties,
  epochOf,
  messageId,
  type Advert,
  type Envelope,
  type ReceiveMeta,
} from "@leiden-iot/protocol";
import type { KeyRegistry } from "../registry/registry.js";
import type { RawFrame } from "../sources/source.js";
import {
  bleStream,
  loraSessionStream,
  uplinkStream,
  type CounterState,
} from "../store/frame-counters.js";
import { DeviceCache } from "./device-cache.js";
import { cachedAes128 } from "../crypto/fast-aes.js";
import { verifyAdvertMac } from "../crypto/advert-mac.js";
import { EidResolver } from "./eid-resolver.js";
import { rejected, type Rejected } from "./rejections.js";
import { encodePackFast } from "./senml-cbor.js";
import { checkCounter } from "./replay-window.js";
import { RepeatCache } from "./repeat-cache.js";
import { MAX_FCNT_GAP } from "../lorawan/fcnt.js";

export interface PipelineOptions {
  gatewayId: string;
  topicPrefix: string;
  replayWindow: number;
  clockNotSetEpochs: number;
  /**
   * LoRa: a 32-bit FCntUp more than this ahead of the device's highest is refused (fcnt_gap), as
   * semtech-udp does for the 16 bits on air, so one forged or corrupt LNS uplink with FCnt 2^32-1
   * cannot make every later genuine frame a replay. Default MAX_FCNT_GAP (16384).
   */
  maxFcntGap?: number;
}

export interface AcceptedFrame {
  status: "accepted";
  messageId: string;
  deviceId: number;
  pseudonym: string;
  topic: string;
  payload: Uint8Array;
  userProperties: Record<string, string>;
  envelope: Envelope;
  /** Counter stream and its new state, to store in the same transaction as the frame. */
  stream: string;
  counter: CounterState;
  previous: CounterState | undefined;
  /** For per-device metrics. */
  info: {
    counter: number;
    gap: number;
    rssi?: number;
    battery?: number;
    kind: "band" | "classroom";
  };
}

export interface Duplicate {
  status: "duplicate";
  messageId: string;
}

export type Outcome = AcceptedFrame | Duplicate | Rejected;

export interface CounterLookup {
  get(stream: string): CounterState | undefined;
}

export { uplinkStream };

/** An authenticated frame of a known device, before the replay/dedup step. */
interface Admission {
  frame: RawFrame;
  deviceId: number;
  pseudonym: string;
  kind: "band" | "classroom";
  messageId: string;
  /** Counter stream (per device for BLE, per device and DevAddr session for LoRa). */
  stream: string;
  counter: number;
  /** How the counter is named in rejection details ("counter", "FCntUp"). */
  counterName: string;
  /** Largest accepted jump (LoRa); none for BLE: a restarted band resumes at seconds since 2020. */
  maxGap?: number;
  envelope: (meta: ReceiveMeta) => Envelope;
  battery: number | undefined;
}

export class Pipeline {
  readonly resolver: EidResolver;
  readonly devices: DeviceCache;
  private readonly windows = new Map<string, CounterState | null>();
  private readonly repeats = new RepeatCache();

  constructor(
    private readonly registry: KeyRegistry,
    private readonly counters: CounterLookup,
    private readonly opts: PipelineOptions,
  ) {
    this.resolver = new EidResolver(registry, opts);
    this.devices = new DeviceCache(registry);
  }

  /** Frames held while the ephemeral-id tables are built, in arrival order. */
  private held: { frame: RawFrame; resolve: (o: Outcome) => void }[] | null = null;

  /**
   * process(), for a running gateway whose ephemeral-id tables may still be building (100k
   * devices at start-up): a frame whose device is not found while a build runs is held instead
   * of being rejected as unknown_device, and so is every frame after it, so frames are still
   * processed in arrival order (order per device). When the build is done the held frames are
   * processed in slices of HELD_SLICE per event-loop turn. Returns at once otherwise.
   */
  processWhenIndexed(frame: RawFrame): Outcome | Promise<Outcome> {
    if (this.held) return this.hold(frame);
    const out = this.process(frame);
    if (out.status !== "rejected" || out.reason !== "unknown_device" || !this.resolver.pending)
      return out;
    this.held = [];
    const p = this.hold(frame);
    void this.resolver.ready().then(() => this.release());
    return p;
  }

  private hold(frame: RawFrame): Promise<Outcome> {
    return new Promise((resolve) => this.held!.push({ frame, resolve }));
  }

  private release(): void {
    const q = this.held!;
    let i = 0;
    const slice = () => {
      const end = Math.min(q.length, i + Pipeline.HELD_SLICE);
      for (; i < end; i++) q[i]!.resolve(this.process(q[i]!.frame));
      if (i < q.length) setImmediate(slice);
      else this.held = null;
    };
    slice();
  }

  private static readonly HELD_SLICE = 256;

  /** Never throws: a frame that makes a stage throw is rejected as internal_error. */
  process(frame: RawFrame): Outcome {
    try {
      if (frame.lora) return this.processLora(frame, frame.lora);
      if (frame.ble) return this.processAdvert(frame, frame.ble.data);
      return rejected("missing_payload", "frame has neither BLE data nor a LoRa payload");
    } catch (e) {
      return rejected("internal_error", (e as Error).stack ?? String(e));
    }
  }

  /**
   * Forgets the window of a frame the outbox could not store. Restoring "the previous state" is
   * wrong when later frames of the same device were processed meanwhile (their state already
   * contains this frame's counter); the committed state in SQLite is the truth, so the next frame
   * of this stream reloads it. Frames still pending may then be accepted twice: at-least-once.
   */
  rollback(a: AcceptedFrame): void {
    this.windows.delete(a.stream);
  }

  private readonly sessionTags = new Map<string, string>();

  /**
   * Keyed stand-in for a DevAddr in message ids (the DevAddr itself never leaves the gateway),
   * with the device's re-provisioning count (`keys reprovision`) so a new session's ids are new.
   */
  private sessionTag(devEui: string, devAddr: string): string {
    const k = devEui.toLowerCase() + ":" + devAddr.toLowerCase();
    let t = this.sessionTags.get(k);
    if (t === undefined) {
      const session = this.counters.get(loraSessionStream(devEui))?.counter ?? 0;
      t = loraSessionTag(cachedAes128, this.registry.pseudonymKey, devAddr.toLowerCase(), session);
      if (this.sessionTags.size >= 10_000) this.sessionTags.clear();
      this.sessionTags.set(k, t);
    }
    return t;
  }

  private window(stream: string): CounterState | undefined {
    let s = this.windows.get(stream);
    if (s === undefined) {
      s = this.counters.get(stream) ?? null;
      this.windows.set(stream, s);
    }
    return s ?? undefined;
  }

  private authenticate(data: Uint8Array, advert: Advert, epoch: number): number | Rejected {
    const eid = advertEidU32(data);
    let cands = this.resolver.candidates(eid, epoch);
    if (cands.length === 0 && advert.kind === "band" && advert.flags.clockNotSet)
      cands = this.resolver.fallbackCandidates(eid, epoch);
    let n = 0;
    for (const id of cands) if (this.registry.byId(id)?.kind === advert.kind) cands[n++] = id;
    cands.length = n;
    if (cands.length === 0)
      return rejected(
        "unknown_device",
        `no registered ${advert.kind} has ephemeral id ${advert.eid} in epoch ${epoch}±1`,
      );
    const signed = advert.kind === "band" ? BAND_SIGNED_BYTES : CLASSROOM_SIGNED_BYTES;
    for (const id of cands) {
      const key = this.devices.advertMac(id);
      if (key && verifyAdvertMac(data, signed, key)) return id;
    }
    return rejected(
      "bad_mac",
      `${advert.kind} advert ${advert.eid}: MAC does not verify with the key of the device holding that ephemeral id`,
    );
  }

  private processAdvert(frame: RawFrame, data: Uint8Array): Outcome {
    const epoch = epochOf(frame.receivedAt);
    // a byte-exact copy of a frame authenticated in this epoch: only the replay window decides
    const seen = this.repeats.get(data, epoch);
    if (seen) {
      const v = checkCounter(this.window(seen.stream), seen.counter, this.opts.replayWindow);
      if (v.verdict === "duplicate") return { status: "duplicate", messageId: seen.messageId };
    }
    const d = decodeAdvert(data);
    if (!d.ok) return rejected(d.reason, d.detail);
    const advert = d.value;
    const id = this.authenticate(data, advert, epoch);
    if (typeof id !== "number") return id;
    const pseudonym = this.devices.pseudonym(id)!;
    const stream = bleStream(id);
    const out = this.admit({
      frame: frame,
      deviceId: id,
      pseudonym: pseudonym,
      kind: advert.kind,
      messageId: messageId(pseudonym, "ble", advert.counter),
      stream: stream,
      counter: advert.counter,
      counterName: "counter",
      envelope: (meta) =>
        advert.kind === "band"
          ? bandEnvelope(advert, pseudonym, meta)
          : classroomAdvertEnvelope(advert, pseudonym, meta),
      battery:
        advert.kind === "band"
          ? advert.batteryMv === null
            ? undefined
            : advert.batteryMv / 1000
          : (advert.power.batteryPercent ?? undefined),
    });
    if (out.status !== "rejected")
      this.repeats.set(data, epoch, {
        stream: stream,
        counter: advert.counter,
        messageId: out.messageId,
      });
    return out;
  }

  private processLora(frame: RawFrame, l: NonNullable<RawFrame["lora"]>): Outcome {
    const dev = this.registry.byDevEui(l.devEui);
    if (!dev) return rejected("unknown_device", `devEui ${l.devEui} is not in the key registry`);
    if (dev.kind !== "classroom")
      return rejected(
        "wrong_kind",
        `devEui ${l.devEui} is registered as a ${dev.kind}, LoRa is for classroom nodes`,
      );
    const u = decodeUplink(l.fPort, l.payload);
    if (!u.ok) return rejected(u.reason, u.detail);
    const pseudonym = this.devices.pseudonym(dev.id)!;
    return this.admit({
      frame: frame,
      deviceId: dev.id,
      pseudonym: pseudonym,
      kind: "classroom",
      messageId: messageId(pseudonym, "lora", l.fCnt, this.sessionTag(l.devEui, l.devAddr)),
      stream: uplinkStream(l.devEui, l.devAddr),
      counter: l.fCnt,
      counterName: "FCntUp",
      maxGap: this.opts.maxFcntGap ?? MAX_FCNT_GAP,
      envelope: (meta) => classroomUplinkEnvelope(u.value, pseudonym, meta),
      battery: u.value.power.batteryPercent ?? undefined,
    });
  }

  /**
   * The one replay and deduplication step of both paths: an authenticated frame of a known device
   * is a duplicate (same counter seen: acknowledged, not published again), replayed (older than
   * the window), a too-large jump (LoRa: a forged or corrupted FCnt would lock the device out),
   * or accepted and enveloped.
   */
  private admit(c: Admission): Outcome {
    const prev = this.window(c.stream);
    if (c.maxGap !== undefined && prev && c.counter - prev.counter > c.maxGap)
      return rejected(
        "fcnt_gap",
        `${c.counterName} ${c.counter} is more than ${c.maxGap} ahead of the highest accepted ${prev.counter} (pipeline.maxFcntGap)`,
      );
    const v = checkCounter(prev, c.counter, this.opts.replayWindow);
    if (v.verdict === "duplicate") return { status: "duplicate", messageId: c.messageId };
    if (v.verdict === "replayed")
      return rejected(
        "replayed",
        `${c.counterName} ${c.counter} is older than the replay window (highest ${v.highest})`,
      );
    const meta = this.meta(c.frame, c.messageId, c.counter);
    return this.accept(c, c.envelope(meta), meta, prev, v.next);
  }

  private meta(frame: RawFrame, mid: string, counter: number): ReceiveMeta {
    const m: ReceiveMeta = {
      gatewayId: this.opts.gatewayId,
      receivedAt: frame.receivedAt,
      source: frame.source === "sim" ? "sim" : frame.channel,
      messageId: mid,
      counter: counter,
    };
    if (frame.rssi !== undefined) m.rssi = frame.rssi;
    if (frame.snr !== undefined) m.snr = frame.snr;
    return m;
  }

  private accept(
    c: Admission,
    env: Envelope,
    meta: ReceiveMeta,
    prev: CounterState | undefined,
    next: CounterState,
  ): AcceptedFrame {
    this.windows.set(c.stream, next);
    const info: AcceptedFrame["info"] = {
      counter: meta.counter,
      gap: prev && meta.counter > prev.counter ? meta.counter - prev.counter - 1 : 0,
      kind: c.kind,
    };
    if (c.frame.rssi !== undefined) info.rssi = c.frame.rssi;
    if (c.battery !== undefined) info.battery = c.battery;
    return {
      status: "accepted",
      messageId: c.messageId,
      deviceId: c.deviceId,
      pseudonym: c.pseudonym,
      topic: envelopeTopic(this.opts.topicPrefix, env.kind, c.pseudonym),
      payload: encodePackFast(env.pack),
      userProperties: envelopeUserProperties(meta, ENVELOPE_SCHEMA),
      envelope: env,
      stream: c.stream,
      counter: next,
      previous: prev,
      info: info,
    };
  }
}

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
  verifyFrameMac,
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
import { cachedAes128 } from "./fast-aes.js";
import { EidResolver } from "./eid-resolver.js";
import { rejected, type Rejected } from "./rejections.js";
import { encodePackFast } from "./senml-cbor.js";
import { checkCounter } from "./replay-window.js";
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

export class Pipeline {
  readonly resolver: EidResolver;
  readonly devices: DeviceCache;
  private readonly windows = new Map<string, CounterState | null>();

  constructor(
    private readonly registry: KeyRegistry,
    private readonly counters: CounterLookup,
    private readonly opts: PipelineOptions,
  ) {
    this.resolver = new EidResolver(registry, opts);
    this.devices = new DeviceCache(registry);
  }

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
    cands = cands.filter((id) => this.registry.byId(id)?.kind === advert.kind);
    if (cands.length === 0)
      return rejected(
        "unknown_device",
        `no registered ${advert.kind} has ephemeral id ${advert.eid} in epoch ${epoch}±1`,
      );
    const signed = advert.kind === "band" ? BAND_SIGNED_BYTES : CLASSROOM_SIGNED_BYTES;
    for (const id of cands) {
      const key = this.devices.macKey(id);
      if (key && verifyFrameMac(data, signed, key)) return id;
    }
    return rejected(
      "bad_mac",
      `${advert.kind} advert ${advert.eid}: MAC does not verify with the key of the device holding that ephemeral id`,
    );
  }

  private processAdvert(frame: RawFrame, data: Uint8Array): Outcome {
    const d = decodeAdvert(data);
    if (!d.ok) return rejected(d.reason, d.detail);
    const advert = d.value;
    const epoch = epochOf(frame.receivedAt);
    const id = this.authenticate(data, advert, epoch);
    if (typeof id !== "number") return id;
    const pseudonym = this.devices.pseudonym(id)!;
    const mid = messageId(pseudonym, "ble", advert.counter);
    const stream = bleStream(id);
    const prev = this.window(stream);
    const v = checkCounter(prev, advert.counter, this.opts.replayWindow);
    if (v.verdict === "duplicate") return { status: "duplicate", messageId: mid };
    if (v.verdict === "replayed")
      return rejected(
        "replayed",
        `counter ${advert.counter} is older than the replay window (highest ${v.highest})`,
      );
    const meta = this.meta(frame, mid, advert.counter);
    const env =
      advert.kind === "band"
        ? bandEnvelope(advert, pseudonym, meta)
        : classroomAdvertEnvelope(advert, pseudonym, meta);
    const battery =
      advert.kind === "band"
        ? advert.batteryMv === null
          ? undefined
          : advert.batteryMv / 1000
        : (advert.power.batteryPercent ?? undefined);
    return this.accept(
      frame,
      id,
      pseudonym,
      mid,
      env,
      meta,
      stream,
      prev,
      v.next,
      advert.kind,
      battery,
    );
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
    const mid = messageId(pseudonym, "lora", l.fCnt, this.sessionTag(l.devEui, l.devAddr));
    const stream = uplinkStream(l.devEui, l.devAddr);
    const prev = this.window(stream);
    const maxGap = this.opts.maxFcntGap ?? MAX_FCNT_GAP;
    if (prev && l.fCnt - prev.counter > maxGap)
      return rejected(
        "fcnt_gap",
        `FCntUp ${l.fCnt} is more than ${maxGap} ahead of the highest accepted ${prev.counter} (pipeline.maxFcntGap)`,
      );
    const v = checkCounter(prev, l.fCnt, this.opts.replayWindow);
    if (v.verdict === "duplicate") return { status: "duplicate", messageId: mid };
    if (v.verdict === "replayed")
      return rejected(
        "replayed",
        `FCntUp ${l.fCnt} is older than the replay window (highest ${v.highest})`,
      );
    const meta = this.meta(frame, mid, l.fCnt);
    const env = classroomUplinkEnvelope(u.value, pseudonym, meta);
    const battery = u.value.power.batteryPercent ?? undefined;
    return this.accept(
      frame,
      dev.id,
      pseudonym,
      mid,
      env,
      meta,
      stream,
      prev,
      v.next,
      "classroom",
      battery,
    );
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
    frame: RawFrame,
    id: number,
    pseudonym: string,
    mid: string,
    env: Envelope,
    meta: ReceiveMeta,
    stream: string,
    prev: CounterState | undefined,
    next: CounterState,
    kind: "band" | "classroom",
    battery: number | undefined,
  ): AcceptedFrame {
    this.windows.set(stream, next);
    const info: AcceptedFrame["info"] = {
      counter: meta.counter,
      gap: prev && meta.counter > prev.counter ? meta.counter - prev.counter - 1 : 0,
      kind: kind,
    };
    if (frame.rssi !== undefined) info.rssi = frame.rssi;
    if (battery !== undefined) info.battery = battery;
    return {
      status: "accepted",
      messageId: mid,
      deviceId: id,
      pseudonym: pseudonym,
      topic: envelopeTopic(this.opts.topicPrefix, env.kind, pseudonym),
      payload: encodePackFast(env.pack),
      userProperties: envelopeUserProperties(meta, ENVELOPE_SCHEMA),
      envelope: env,
      stream: stream,
      counter: next,
      previous: prev,
      info: info,
    };
  }
}

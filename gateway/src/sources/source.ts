// The one small interface every radio input implements (cf. chirpstack-gateway-bridge's
// internal/backend/*): start, stop, emit raw frames with receive metadata, report health.

/** A frame as a source heard it, before any check. */
export interface RawFrame {
  source: "ble" | "semtech-udp" | "lns-mqtt" | "sim";
  channel: "ble" | "lora";
  /** Unix seconds (with millisecond fraction) when this gateway (or the LNS) received it. */
  receivedAt: number;
  rssi?: number;
  snr?: number;
  /** BLE: manufacturer data under company id 0x0590, without the 2-byte company id. */
  ble?: { data: Uint8Array; address?: string };
  /**
   * LoRa: an application payload already authenticated and decrypted by LoRaWAN (by this
   * gateway's semtech-udp source or by the LNS), with the identity LoRaWAN established.
   */
  lora?: {
    devEui: string; // 16 lower-case hex characters
    devAddr: string; // 8 lower-case hex characters
    fCnt: number; // 32-bit FCntUp
    fPort: number;
    payload: Uint8Array;
    dataRate?: string; // e.g. "SF7BW125"
    frequency?: number; // Hz
    radioGatewayId?: string; // the LoRa gateway that heard it (EUI)
  };
}

/** What became of a frame the source emitted. Sources that must acknowledge (Semtech PUSH_ACK)
 * wait for this: "accepted" and "duplicate" mean it is durably stored or already was. */
export type Disposition =
  | { status: "accepted"; messageId: string }
  | { status: "duplicate"; messageId: string }
  | { status: "rejected"; reason: string; detail: string };

export type Emit = (frame: RawFrame) => Promise<Disposition>;

export interface SourceHealth {
  name: string;
  state: "starting" | "running" | "degraded" | "stopped" | "unavailable";
  /** Human-readable: what is wrong and what to do about it. */
  detail?: string;
  framesIn: number;
  lastFrameAt?: number;
}

/** Packet forwarders a LoRa source has heard (liot_packet_forwarders{state}). */
export interface ForwarderCounts {
  /** Forwarders that delivered at least one frame whose MIC verified (the real ones). */
  verified: number;
  /** Of those, silent for over SILENT_FORWARDER_S. */
  silent: number;
  /** Gateway ids that never delivered a verified frame (anyone can make these up; bounded). */
  unverified: number;
}

export interface Source {
  readonly name: string;
  start(emit: Emit): Promise<void>;
  stop(): Promise<void>;
  health(): SourceHealth;
  /** Sources that take packet forwarders (semtech-udp). */
  forwarderCounts?(): ForwarderCounts;
}

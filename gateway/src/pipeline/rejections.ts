// Every reason a frame can be refused, counted by metrics and logged with a rate limit.
import type { RejectReason } from "@leiden-iot/protocol";

export type GatewayRejectReason =
  | RejectReason // from the protocol decoders: truncated, bad_mac, out_of_range, ...
  | "unknown_device" // no registered device has this ephemeral id / devEui
  | "replayed" // counter older than the device's replay window
  | "wrong_kind" // a LoRa uplink from a device registered as a band
  | "fcnt_gap" // a LoRa FCntUp further ahead of the highest accepted than pipeline.maxFcntGap
  | "missing_payload" // the source gave neither BLE data nor a LoRa payload
  | "store_failed" // the outbox could not write the frame (disk full, I/O error)
  | "internal_error"; // a bug: the frame made a stage throw (logged with the stack)

export interface Rejected {
  status: "rejected";
  reason: GatewayRejectReason;
  detail: string;
}

export function rejected(reason: GatewayRejectReason, detail: string): Rejected {
  return { status: "rejected", reason: reason, detail: detail };
}

// Decoders never throw: they return a value or a typed rejection that callers count by reason.

export type RejectReason =
  | "truncated" // fewer bytes than the frame needs
  | "too_long" // more bytes than the frame allows
  | "unknown_type" // the frame type nibble or LoRaWAN fPort is not one we define
  | "bad_version" // a frame type we know, in a version we do not
  | "bad_mac" // the message authentication code does not verify
  | "reserved_bits" // bits that must be zero are set
  | "out_of_range" // a field holds a value outside its documented range
  | "bad_encoding"; // the bytes are not a valid encoding (varint, CBOR, SenML)

export interface Rejection {
  ok: false;
  reason: RejectReason;
  detail: string;
}
export interface Accepted<T> {
  ok: true;
  value: T;
}
export type Result<T> = Accepted<T> | Rejection;

export function accept<T>(value: T): Accepted<T> {
  return { ok: true, value: value };
}
export function reject(reason: RejectReason, detail: string): Rejection {
  return { ok: false, reason: reason, detail: detail };
}

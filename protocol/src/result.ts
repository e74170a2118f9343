// Decoders never throw: they return a value or a typed rejection that callers count by reason.
// The one result type of the project: protocol's decoders use RejectReason; the gateway's parsers
// (LoRaWAN, Semtech UDP, LNS messages) and flows' views use it with their own reason unions.

export type RejectReason =
  | "truncated" // fewer bytes than the frame needs
  | "too_long" // more bytes than the frame allows
  | "unknown_type" // the frame type nibble or LoRaWAN fPort is not one we define
  | "bad_version" // a frame type we know, in a version we do not
  | "bad_mac" // the message authentication code does not verify
  | "reserved_bits" // bits that must be zero are set
  | "out_of_range" // a field holds a value outside its documented range
  | "bad_encoding"; // the bytes are not a valid encoding (varint, CBOR, SenML)

export interface Rejection<R extends string = RejectReason> {
  ok: false;
  reason: R;
  detail: string;
}
export interface Accepted<T> {
  ok: true;
  value: T;
}
export type Result<T, R extends string = RejectReason> = Accepted<T> | Rejection<R>;

export function accept<T>(value: T): Accepted<T> {
  return { ok: true, value: value };
}
export function reject<R extends string = RejectReason>(reason: R, detail: string): Rejection<R> {
  return { ok: false, reason: reason, detail: detail };
}

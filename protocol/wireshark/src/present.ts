// What the dissector shows for one frame, independent of Wireshark: the decoded fields, who sent
// it and whether its MAC holds, and protocol's rejection reason for a bad frame. The Wireshark glue
// (plugin.ts) renders it as a tree, the CLI (core-cli.ts) as text lines for the lua5.4 tests.
import type { ByteSource } from "../../src/bytes.js";
import type { Rejection } from "../../src/result.js";
import { BLE_FIELDS, LORA_FIELDS } from "../../dist/wireshark/generated/fields.js";
import { walkFields, type FieldSpec, type FieldVisitor } from "./field-spec.js";
import { decodeBle, decodeLora, isClassroomFrame, type LoraDirection } from "./frames.js";
import { identify, type Deployment } from "./keys.js";

export type ExpertKind = "rejected" | "bad_mac" | "unverified";

export interface Presenter<N> extends FieldVisitor<N> {
  expert: (kind: ExpertKind, text: string, parent: N) => void;
}

function leaf(
  key: string,
  abbrev: string,
  name: string,
  type: "number" | "string",
  blurb: string,
): FieldSpec {
  return { key: key, abbrev: abbrev, name: name, type: type, blurb: blurb, children: [] };
}

/** Fields the dissector adds to protocol's: who sent the frame, its MAC, why it was rejected. */
export const IDENTITY_FIELDS: FieldSpec[] = [
  leaf(
    "deviceId",
    "liot.device_id",
    "Device id",
    "number",
    "Resolved from the ephemeral id with the master key",
  ),
  leaf(
    "pseudonym",
    "liot.pseudonym",
    "Pseudonym",
    "string",
    "The device's pseudonym in the configured scope",
  ),
  leaf("macStatus", "liot.mac_status", "MAC status", "string", "valid, invalid or no_key"),
];

export function rejectionFields(prefix: string): FieldSpec[] {
  return [
    leaf("reason", prefix + ".reason", "Rejection reason", "string", "protocol's reason code"),
    leaf("detail", prefix + ".detail", "Rejection detail", "string", ""),
  ];
}

const BLE_REJECTION = rejectionFields("liot");
const LORA_REJECTION = rejectionFields("liot.lora");

function rejected<N>(r: Rejection, specs: FieldSpec[], root: N, p: Presenter<N>): string {
  walkFields(specs, r as unknown as Record<string, unknown>, root, p);
  p.expert("rejected", r.reason + ": " + r.detail, root);
  return "rejected: " + r.reason;
}

/** Shows BLE manufacturer data under 0x0590; returns the summary for the Info column. */
export function presentBle<N>(
  bytes: ByteSource,
  unixSeconds: number,
  deployment: Deployment | undefined,
  root: N,
  p: Presenter<N>,
): string {
  const r = decodeBle(bytes);
  if (!r.ok) return rejected(r, BLE_REJECTION, root, p);
  const value = r.value as unknown as Record<string, unknown>;
  walkFields(BLE_FIELDS, value, root, p);
  const id = identify(deployment, r.value, bytes, unixSeconds);
  walkFields(IDENTITY_FIELDS, id as unknown as Record<string, unknown>, root, p);
  if (id.rejection !== undefined) {
    walkFields(BLE_REJECTION, id.rejection as unknown as Record<string, unknown>, root, p);
    p.expert("bad_mac", id.rejection.reason + ": " + id.rejection.detail, root);
  } else if (id.note !== undefined) {
    p.expert("unverified", id.note, root);
  }
  const counter = value["counter"];
  return (
    r.value.kind +
    (counter === undefined ? "" : " #" + counter) +
    (id.deviceId === undefined ? "" : ", device " + id.deviceId) +
    ", MAC " +
    id.macStatus
  );
}

/**
 * Shows a decrypted LoRaWAN FRMPayload; returns the Info summary, or undefined for a frame that is
 * not the classroom node's (an fPort protocol does not define) unless allPorts is set.
 */
export function presentLora<N>(
  direction: LoraDirection,
  fPort: number,
  bytes: ByteSource,
  allPorts: boolean,
  root: N,
  p: Presenter<N>,
): string | undefined {
  const r = decodeLora(direction, fPort, bytes);
  if (!allPorts && !isClassroomFrame(r)) return undefined;
  if (!r.ok) return rejected(r, LORA_REJECTION, root, p);
  walkFields(LORA_FIELDS, r.value as unknown as Record<string, unknown>, root, p);
  return r.value.kind;
}

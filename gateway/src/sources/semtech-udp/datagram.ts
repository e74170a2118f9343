// The Semtech UDP packet-forwarder protocol, version 2 (lora-net/packet_forwarder PROTOCOL.TXT;
// version 1 framing is identical). Pure: bytes in, a typed packet or a rejection out.
//
//   byte 0      protocol version (1 or 2)
//   bytes 1-2   random token (echoed in the acknowledgement)
//   byte 3      identifier
//   bytes 4-11  gateway EUI (PUSH_DATA, PULL_DATA, TX_ACK)
//   bytes 12-   JSON (PUSH_DATA: {"rxpk": [...], "stat": {...}}; TX_ACK: {"txpk_ack": {...}})
import { accept, reject, type Result } from "@leiden-iot/protocol";
import { z } from "zod";
import { zodProblem } from "../../lorawan/rejection-log.js";

export const PUSH_DATA = 0x00;
export const PUSH_ACK = 0x01;
export const PULL_DATA = 0x02;
export const PULL_RESP = 0x03;
export const PULL_ACK = 0x04;
export const TX_ACK = 0x05;

export type DatagramReason =
  | "too_short" // shorter than the header its identifier needs
  | "unknown_version" // protocol version other than 1 or 2
  | "unknown_identifier" // not one of the six message types
  | "server_message" // PUSH_ACK / PULL_ACK / PULL_RESP: sent by a server, not by a gateway
  | "bad_json" // not UTF-8 JSON, or not an object
  | "bad_schema"; // JSON object with rxpk/stat/txpk_ack of the wrong type

export type GatewayMessage =
  | {
      kind: "push_data";
      version: number;
      token: number;
      gatewayEui: string;
      rxpk: unknown[]; // each checked on its own (rxpk.ts), so one bad packet spoils no other
      stat?: Record<string, unknown>;
    }
  | { kind: "pull_data"; version: number; token: number; gatewayEui: string }
  | { kind: "tx_ack"; version: number; token: number; gatewayEui: string; error?: string };

const pushJson = z.looseObject({
  rxpk: z.array(z.unknown()).optional(),
  stat: z.record(z.string(), z.unknown()).optional(),
});
const txAckJson = z.looseObject({
  txpk_ack: z.looseObject({ error: z.string().optional(), warn: z.string().optional() }).optional(),
});

const HEADER = 4;
const WITH_EUI = 12;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function readJson(body: Uint8Array): Result<unknown, "bad_json"> {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return reject("bad_json", "body is not UTF-8");
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return reject("bad_json", "body is not a JSON object");
    return accept(value);
  } catch (e) {
    return reject("bad_json", (e as Error).message);
  }
}

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
}

export function parseDatagram(d: Uint8Array): Result<GatewayMessage, DatagramReason> {
  if (d.length < HEADER) return reject("too_short", `${d.length} bytes, header needs ${HEADER}`);
  const version = d[0]!;
  if (version !== 1 && version !== 2)
    return reject("unknown_version", `protocol version ${version}, expected 1 or 2`);
  const token = (d[1]! << 8) | d[2]!;
  const id = d[3]!;
  if (id === PUSH_ACK || id === PULL_ACK || id === PULL_RESP)
    return reject("server_message", `identifier 0x0${id} is sent by servers, not gateways`);
  if (id !== PUSH_DATA && id !== PULL_DATA && id !== TX_ACK)
    return reject("unknown_identifier", `identifier 0x${id.toString(16).padStart(2, "0")}`);
  if (d.length < WITH_EUI)
    return reject("too_short", `${d.length} bytes, identifier ${id} needs ${WITH_EUI}`);
  const gatewayEui = hex(d.subarray(4, 12));
  const body = d.subarray(WITH_EUI);

  if (id === PULL_DATA) return accept({ kind: "pull_data", version, token, gatewayEui });

  if (id === TX_ACK) {
    // v1 gateways send an empty TX_ACK; v2 may add {"txpk_ack":{"error":"..."}}.
    if (body.length === 0 || (body.length === 1 && body[0] === 0))
      return accept({ kind: "tx_ack", version, token, gatewayEui });
    const json = readJson(body[body.length - 1] === 0 ? body.subarray(0, -1) : body);
    if (!json.ok) return json;
    const parsed = txAckJson.safeParse(json.value);
    if (!parsed.success) return reject("bad_schema", zodProblem(parsed.error));
    const error = parsed.data.txpk_ack?.error;
    return accept({
      kind: "tx_ack",
      version,
      token,
      gatewayEui,
      ...(error !== undefined && error !== "NONE" ? { error } : {}),
    });
  }

  if (body.length === 0) return reject("too_short", "PUSH_DATA without JSON");
  const json = readJson(body);
  if (!json.ok) return json;
  const parsed = pushJson.safeParse(json.value);
  if (!parsed.success) return reject("bad_schema", zodProblem(parsed.error));
  return accept({
    kind: "push_data",
    version,
    token,
    gatewayEui,
    rxpk: parsed.data.rxpk ?? [],
    ...(parsed.data.stat ? { stat: parsed.data.stat } : {}),
  });
}

function header(version: number, token: number, id: number): Buffer {
  return Buffer.from([version, (token >> 8) & 0xff, token & 0xff, id]);
}

/** PUSH_ACK for a PUSH_DATA: same version and token. */
export function pushAck(version: number, token: number): Buffer {
  return header(version, token, PUSH_ACK);
}

/** PULL_ACK for a PULL_DATA: same version and token. */
export function pullAck(version: number, token: number): Buffer {
  return header(version, token, PULL_ACK);
}

/** PULL_RESP carrying one txpk (v2: the token comes back in the gateway's TX_ACK). */
export function pullResp(version: number, token: number, txpk: Record<string, unknown>): Buffer {
  return Buffer.concat([
    header(version, token, PULL_RESP),
    Buffer.from(JSON.stringify({ txpk }), "utf8"),
  ]);
}

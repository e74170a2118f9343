// Parses an LNS uplink message (TTS v3 or ChirpStack v4 JSON) into a RawFrame. Pure and total:
// any bytes give a frame or a rejection naming the reason and the JSON path, never an exception.
import { accept, reject, type Result } from "@leiden-iot/protocol";
import { decodeBase64Strict } from "../../lorawan/base64.js";
import { zodProblem } from "../../lorawan/rejection-log.js";
import type { RawFrame } from "../source.js";
import { chirpstackUplinkSchema, fromChirpstack } from "./chirpstack.js";
import type { LnsFlavour } from "./config.js";
import type { LnsUplink } from "./lns-uplink.js";
import { fromTts, ttsUplinkSchema } from "./tts.js";

export type { LnsUplink } from "./lns-uplink.js";

export type LnsReason =
  | "too_large" // over MAX_MESSAGE_BYTES
  | "not_uplink" // another event on the topic (join, ack, status, ...)
  | "bad_json" // not UTF-8 JSON, or not an object
  | "bad_schema" // missing field or wrong type (the detail names the JSON path)
  | "no_payload" // fPort 0 (MAC commands) or no FRMPayload: nothing for the application
  | "bad_base64"; // payload is not base64

/** The common shape both flavours map to before checks. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** A timestamp later than this past our clock is not believed. */
const MAX_FUTURE_MS = 5 * 60_000;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Is this topic an uplink event of the flavour (a wildcard subscription may bring others)? */
export function isUplinkTopic(flavour: LnsFlavour, topic: string): boolean {
  return flavour === "ttn" ? topic.endsWith("/up") : topic.endsWith("/event/up");
}

function bestGateway(gateways: LnsUplink["gateways"]) {
  let best: LnsUplink["gateways"][number] | undefined;
  for (const g of gateways) {
    if (
      !best ||
      (g.rssi ?? -Infinity) > (best.rssi ?? -Infinity) ||
      ((g.rssi ?? -Infinity) === (best.rssi ?? -Infinity) &&
        (g.snr ?? -Infinity) > (best.snr ?? -Infinity))
    )
      best = g;
  }
  return best;
}

export function parseLnsUplink(
  flavour: LnsFlavour,
  topic: string,
  message: Uint8Array,
  nowMs: number,
): Result<RawFrame, LnsReason> {
  if (!isUplinkTopic(flavour, topic)) return reject("not_uplink", `topic ${topic}`);
  if (message.length > MAX_MESSAGE_BYTES)
    return reject("too_large", `${message.length} bytes > ${MAX_MESSAGE_BYTES}`);
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(message));
  } catch (e) {
    return reject("bad_json", (e as Error).message);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    return reject("bad_json", "$: expected a JSON object");

  let up: LnsUplink;
  if (flavour === "ttn") {
    if (!("uplink_message" in json)) return reject("not_uplink", "$.uplink_message is missing");
    const parsed = ttsUplinkSchema.safeParse(json);
    if (!parsed.success) return reject("bad_schema", zodProblem(parsed.error));
    up = fromTts(parsed.data);
  } else {
    const parsed = chirpstackUplinkSchema.safeParse(json);
    if (!parsed.success) return reject("bad_schema", zodProblem(parsed.error));
    up = fromChirpstack(parsed.data);
  }

  if (up.fPort === 0) return reject("no_payload", `fPort 0 (MAC commands) from ${up.devEui}`);
  if (up.payloadBase64 === undefined || up.payloadBase64 === "")
    return reject("no_payload", `${up.payloadPath} is missing`);
  const payload = decodeBase64Strict(up.payloadBase64);
  if (!payload) return reject("bad_base64", `${up.payloadPath} is not base64`);

  const t = up.time === undefined ? NaN : Date.parse(up.time);
  const receivedMs = Number.isFinite(t) && t <= nowMs + MAX_FUTURE_MS && t > 0 ? t : nowMs;
  const g = bestGateway(up.gateways);
  const dataRate =
    up.spreadingFactor !== undefined && up.bandwidthHz !== undefined
      ? `SF${up.spreadingFactor}BW${Math.round(up.bandwidthHz / 1000)}`
      : undefined;
  return accept({
    source: "lns-mqtt",
    channel: "lora",
    receivedAt: receivedMs / 1000,
    ...(g?.rssi !== undefined ? { rssi: g.rssi } : {}),
    ...(g?.snr !== undefined ? { snr: g.snr } : {}),
    lora: {
      devEui: up.devEui,
      devAddr: up.devAddr,
      fCnt: up.fCnt,
      fPort: up.fPort,
      payload,
      ...(dataRate !== undefined ? { dataRate } : {}),
      ...(up.frequency !== undefined ? { frequency: up.frequency } : {}),
      ...(g?.gatewayId !== undefined ? { radioGatewayId: g.gatewayId } : {}),
    },
  });
}

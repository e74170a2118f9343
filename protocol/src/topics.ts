// MQTT topic layout, defined once. <prefix> is the configurable site/tenant prefix, e.g. "leiden/gw".
//   <prefix>/rewards/band/<pseudonym>/report        band day totals (SenML-CBOR)
//   <prefix>/sensors/classroom/<pseudonym>/reading  classroom readings (SenML-CBOR)
//   <prefix>/sensors/classroom/<pseudonym>/status   classroom configuration and health
//   <prefix>/gateways/<gatewayId>/status            retained "online"/"offline" + last will
//   <prefix>/gateways/<gatewayId>/health            periodic JSON health message

export type EnvelopeKind = "band_report" | "classroom_reading" | "classroom_status";

export function envelopeTopic(prefix: string, kind: EnvelopeKind, pseudonym: string): string {
  if (kind === "band_report") return prefix + "/rewards/band/" + pseudonym + "/report";
  if (kind === "classroom_reading") return prefix + "/sensors/classroom/" + pseudonym + "/reading";
  return prefix + "/sensors/classroom/" + pseudonym + "/status";
}

const KIND_OF_PATH: Record<string, EnvelopeKind> = {
  "rewards/band/report": "band_report",
  "sensors/classroom/reading": "classroom_reading",
  "sensors/classroom/status": "classroom_status",
};

/**
 * The inverse of envelopeTopic: prefix, kind and pseudonym of an envelope topic, or null for any
 * other topic (gateway status/health, a foreign topic, an empty pseudonym or prefix).
 */
export function parseEnvelopeTopic(
  topic: string,
): { prefix: string; kind: EnvelopeKind; pseudonym: string } | null {
  const parts = topic.split("/");
  if (parts.length < 5) return null;
  const n = parts.length;
  const kind = KIND_OF_PATH[parts[n - 4] + "/" + parts[n - 3] + "/" + parts[n - 1]];
  const pseudonym = parts[n - 2]!;
  const prefix = parts.slice(0, n - 4).join("/");
  if (kind === undefined || pseudonym === "" || prefix === "") return null;
  return { prefix: prefix, kind: kind, pseudonym: pseudonym };
}

export function gatewayStatusTopic(prefix: string, gatewayId: string): string {
  return prefix + "/gateways/" + gatewayId + "/status";
}

export function gatewayHealthTopic(prefix: string, gatewayId: string): string {
  return prefix + "/gateways/" + gatewayId + "/health";
}

export type GatewayTopicKind = "status" | "health";

/**
 * The inverse of gatewayStatusTopic and gatewayHealthTopic: prefix, gateway id and which of the two
 * a topic is, or null for any other topic (an envelope topic, a foreign topic, an empty id or prefix).
 */
export function parseGatewayTopic(
  topic: string,
): { prefix: string; gatewayId: string; kind: GatewayTopicKind } | null {
  const parts = topic.split("/");
  const n = parts.length;
  if (n < 4 || parts[n - 3] !== "gateways") return null;
  const last = parts[n - 1];
  const kind: GatewayTopicKind | null =
    last === "status" ? "status" : last === "health" ? "health" : null;
  const gatewayId = parts[n - 2]!;
  const prefix = parts.slice(0, n - 3).join("/");
  if (kind === null || gatewayId === "" || prefix === "") return null;
  return { prefix: prefix, gatewayId: gatewayId, kind: kind };
}

/** Subscription filters for consumers. */
export function topicFilters(prefix: string): {
  bands: string;
  classrooms: string;
  gateways: string;
} {
  return {
    bands: prefix + "/rewards/band/+/report",
    classrooms: prefix + "/sensors/classroom/+/+",
    gateways: prefix + "/gateways/+/+",
  };
}

/** MQTT 5 content type of every envelope. */
export const ENVELOPE_CONTENT_TYPE = "application/senml+cbor";
/** Schema version carried in the MQTT 5 user property "schema". */
export const ENVELOPE_SCHEMA = "leiden-iot/senml/1";

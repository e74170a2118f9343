// From an MQTT message (SenML-CBOR bytes, topic, MQTT 5 properties) to resolved records and a
// typed band or classroom view. Pure: no Node-RED, no I/O. Never throws.
import {
  ENVELOPE_CONTENT_TYPE,
  ENVELOPE_SCHEMA,
  decodeEnvelope,
  parseEnvelopeTopic,
  reject,
  readBandEnvelope,
  readClassroomEnvelope,
  type BandEnvelopeRead,
  type ClassroomEnvelopeRead,
  type EnvelopeKind,
  type ResolvedRecord,
  type Result,
} from "@leiden-iot/protocol";

export type EnvelopeView =
  | {
      kind: "band_report";
      pseudonym: string;
      records: ResolvedRecord[];
      band: BandEnvelopeRead;
      counter: number | null;
    }
  | {
      kind: "classroom_reading" | "classroom_status";
      pseudonym: string;
      records: ResolvedRecord[];
      classroom: ClassroomEnvelopeRead;
      counter: number | null;
    };

/** protocol's Result; reasons: protocol's decode reasons plus not_bytes, content_type, schema, topic_mismatch. */
export type ViewResult = Result<EnvelopeView, string>;

export interface MqttFacts {
  payload: unknown;
  topic?: string | undefined;
  contentType?: string | undefined;
  userProperties?: Record<string, unknown> | undefined;
}

/** Kind and pseudonym from the gateway's topic layout, or null for a topic outside it. */
export function kindOfTopic(topic: string): { kind: EnvelopeKind; pseudonym: string } | null {
  const t = parseEnvelopeTopic(topic);
  return t ? { kind: t.kind, pseudonym: t.pseudonym } : null;
}

function kindOfRecords(records: ResolvedRecord[]): EnvelopeKind {
  const fields = records.map((r) => r.name.substring(r.name.lastIndexOf(":") + 1));
  if (fields.indexOf("steps") >= 0) return "band_report";
  if (fields.indexOf("firmware") >= 0) return "classroom_status";
  return "classroom_reading";
}

function toBytes(payload: unknown): Uint8Array | null {
  if (payload instanceof Uint8Array) return payload;
  if (Array.isArray(payload) && payload.every((b) => Number.isInteger(b) && b >= 0 && b < 256))
    return Uint8Array.from(payload as number[]);
  if (
    payload &&
    typeof payload === "object" &&
    (payload as { type?: unknown }).type === "Buffer" &&
    Array.isArray((payload as { data?: unknown }).data)
  )
    return Uint8Array.from((payload as { data: number[] }).data);
  return null;
}

function fail(reason: string, detail: string): ViewResult {
  return reject(reason, detail);
}

/** Decodes one envelope. `now` (Unix seconds) resolves relative times without a base time. */
export function viewEnvelope(m: MqttFacts, now: number): ViewResult {
  const bytes = toBytes(m.payload);
  if (!bytes)
    return fail(
      "not_bytes",
      "payload is " + typeof m.payload + ", not a Buffer: set the mqtt in node to output a Buffer",
    );
  if (
    m.contentType !== undefined &&
    m.contentType !== "" &&
    m.contentType !== ENVELOPE_CONTENT_TYPE
  )
    return fail(
      "content_type",
      "content type " + m.contentType + " is not " + ENVELOPE_CONTENT_TYPE,
    );
  const schema = m.userProperties ? m.userProperties.schema : undefined;
  if (typeof schema === "string" && schema !== ENVELOPE_SCHEMA)
    return fail("schema", "schema " + schema + " is not " + ENVELOPE_SCHEMA);
  const decoded = decodeEnvelope(bytes, now);
  if (!decoded.ok) return fail(decoded.reason, decoded.detail);
  const records = decoded.value.records;
  const fromTopic = m.topic ? kindOfTopic(m.topic) : null;
  const fromRecords = kindOfRecords(records);
  if (fromTopic && (fromTopic.kind === "band_report") !== (fromRecords === "band_report"))
    return fail(
      "topic_mismatch",
      "a " +
        fromRecords.replace("_", " ") +
        " envelope on a " +
        fromTopic.kind.replace("_", " ") +
        " topic",
    );
  const kind = fromTopic ? fromTopic.kind : fromRecords;
  const ctr = records[0] ? records[0].ext.ctr : undefined;
  const counter = typeof ctr === "number" ? ctr : null;
  if (kind === "band_report") {
    const band = readBandEnvelope(records);
    if (!band.ok) return fail(band.reason, band.detail);
    if (fromTopic && fromTopic.pseudonym !== band.value.pseudonym)
      return fail(
        "topic_mismatch",
        "topic names " + fromTopic.pseudonym + ", envelope " + band.value.pseudonym,
      );
    return {
      ok: true,
      value: { kind, pseudonym: band.value.pseudonym, records, band: band.value, counter },
    };
  }
  const classroom = readClassroomEnvelope(records);
  if (!classroom.ok) return fail(classroom.reason, classroom.detail);
  if (fromTopic && fromTopic.pseudonym !== classroom.value.pseudonym)
    return fail(
      "topic_mismatch",
      "topic names " + fromTopic.pseudonym + ", envelope " + classroom.value.pseudonym,
    );
  return {
    ok: true,
    value: {
      kind,
      pseudonym: classroom.value.pseudonym,
      records,
      classroom: classroom.value,
      counter,
    },
  };
}

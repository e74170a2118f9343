// Protocol test vectors with envelopes, as MQTT messages the gateway would publish.
import {
  ENVELOPE_CONTENT_TYPE,
  ENVELOPE_SCHEMA,
  envelopeTopic,
  envelopeUserProperties,
  type EnvelopeKind,
  type ReceiveMeta,
} from "@leiden-iot/protocol";
import band from "../../../protocol/vectors/band-advert.json" with { type: "json" };
import classroom from "../../../protocol/vectors/classroom-advert.json" with { type: "json" };
import lora from "../../../protocol/vectors/lora-uplink.json" with { type: "json" };

export interface VectorMessage {
  name: string;
  topic: string;
  payload: Buffer;
  contentType: string;
  userProperties: Record<string, string>;
  decoded: Record<string, unknown>;
  pseudonym: string;
}

interface Raw {
  name: string;
  decoded: Record<string, unknown>;
  envelope?: { cbor: string; meta: unknown; pseudonym: string; topicKind: string };
}

function toMessages(list: Raw[]): VectorMessage[] {
  return list
    .filter((v) => v.envelope)
    .map((v) => ({
      name: v.name,
      topic: envelopeTopic(
        "leiden/test",
        v.envelope!.topicKind as EnvelopeKind,
        v.envelope!.pseudonym,
      ),
      payload: Buffer.from(v.envelope!.cbor, "hex"),
      contentType: ENVELOPE_CONTENT_TYPE,
      userProperties: envelopeUserProperties(v.envelope!.meta as ReceiveMeta, ENVELOPE_SCHEMA),
      decoded: v.decoded,
      pseudonym: v.envelope!.pseudonym,
    }));
}

export const bandVectors = toMessages(band.valid as Raw[]);
export const classroomVectors = toMessages(classroom.valid as Raw[]);
export const loraVectors = toMessages(lora.valid as Raw[]);

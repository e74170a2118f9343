import { envelopeTopic, gatewayStatusTopic, parseEnvelopeTopic } from "@leiden-iot/protocol";
import { describe, expect, it } from "vitest";
import { kindOfTopic, viewEnvelope } from "../../src/core/envelope-view.js";
import { bandVectors, loraVectors } from "../support/vectors.js";

describe("envelope view", () => {
  it("reads kind and pseudonym from the gateway's topics", () => {
    // Topics come from protocol's builder, so a change of layout there is a change here too.
    for (const kind of ["band_report", "classroom_reading", "classroom_status"] as const)
      expect(kindOfTopic(envelopeTopic("leiden/demo", kind, "abc"))).toEqual({
        kind: kind,
        pseudonym: "abc",
      });
    const reading = envelopeTopic("x", "classroom_reading", "p1");
    expect(kindOfTopic(reading.replace(/reading$/, "other"))).toBeNull();
    expect(kindOfTopic(gatewayStatusTopic("x", "gw"))).toBeNull();
  });

  it("accepts a Buffer in its JSON form and falls back to the records without a topic", () => {
    const v = bandVectors[0]!;
    const r = viewEnvelope({ payload: JSON.parse(JSON.stringify(v.payload)) }, 0);
    expect(r.ok && r.value.kind).toBe("band_report");
    const status = loraVectors.find(
      (x) => parseEnvelopeTopic(x.topic)?.kind === "classroom_status",
    )!;
    const s = viewEnvelope({ payload: status.payload }, 0);
    expect(s.ok && s.value.kind).toBe("classroom_status");
  });

  it("rejects another schema version and an envelope on a foreign topic kind", () => {
    const v = bandVectors[0]!;
    expect(
      viewEnvelope({ payload: v.payload, userProperties: { schema: "leiden-iot/senml/2" } }, 0),
    ).toMatchObject({ ok: false, reason: "schema" });
    const r = viewEnvelope(
      { payload: v.payload, topic: envelopeTopic("p", "classroom_reading", v.pseudonym) },
      0,
    );
    expect(r.ok).toBe(false);
  });
});

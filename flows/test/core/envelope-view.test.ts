import { describe, expect, it } from "vitest";
import { kindOfTopic, viewEnvelope } from "../../src/core/envelope-view.js";
import { bandVectors, loraVectors } from "../support/vectors.js";

describe("envelope view", () => {
  it("reads kind and pseudonym from the gateway's topics", () => {
    expect(kindOfTopic("leiden/demo/rewards/band/abc/report")).toEqual({
      kind: "band_report",
      pseudonym: "abc",
    });
    expect(kindOfTopic("x/sensors/classroom/p1/status")).toEqual({
      kind: "classroom_status",
      pseudonym: "p1",
    });
    expect(kindOfTopic("x/sensors/classroom/p1/other")).toBeNull();
    expect(kindOfTopic("x/gateways/gw/status")).toBeNull();
  });

  it("accepts a Buffer in its JSON form and falls back to the records without a topic", () => {
    const v = bandVectors[0]!;
    const r = viewEnvelope({ payload: JSON.parse(JSON.stringify(v.payload)) }, 0);
    expect(r.ok && r.value.kind).toBe("band_report");
    const status = loraVectors.find((x) => x.topic.endsWith("/status"))!;
    const s = viewEnvelope({ payload: status.payload }, 0);
    expect(s.ok && s.value.kind).toBe("classroom_status");
  });

  it("rejects another schema version and an envelope on a foreign topic kind", () => {
    const v = bandVectors[0]!;
    expect(
      viewEnvelope({ payload: v.payload, userProperties: { schema: "leiden-iot/senml/2" } }, 0),
    ).toMatchObject({ ok: false, reason: "schema" });
    const r = viewEnvelope(
      { payload: v.payload, topic: "p/sensors/classroom/" + v.pseudonym + "/reading" },
      0,
    );
    expect(r.ok).toBe(false);
  });
});

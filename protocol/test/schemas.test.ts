// The zod schemas are the published contract of the decoders' output (Node consumers validate
// with them; the LNS codec's uplink.schema.json is generated from them). Every decoded vector must
// satisfy its schema exactly (strict: no field the schema does not describe), and the schemas
// must refuse what the decoders can never produce.
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  bandAdvertSchema,
  classroomAdvertSchema,
  classroomDownlinkSchema,
  classroomUplinkSchema,
  decodeAdvert,
  decodeDownlink,
  decodeUplink,
  fromHex,
} from "../src/index.js";
import band from "../vectors/band-advert.json" with { type: "json" };
import classroom from "../vectors/classroom-advert.json" with { type: "json" };
import uplinks from "../vectors/lora-uplink.json" with { type: "json" };
import downlinks from "../vectors/lora-downlink.json" with { type: "json" };

function strictIssues(schema: z.ZodType, value: unknown): string[] {
  const r = schema.safeParse(value);
  if (!r.success) return r.error.issues.map((i) => i.path.join(".") + ": " + i.message);
  // Strictness: parsing keeps only described keys, so a round trip equal to the input proves the
  // decoder emits no field the contract is silent about.
  return isDeepStrictEqual(r.data, value) ? [] : ["fields outside the schema"];
}

describe("decoder output satisfies the published schemas", () => {
  it("band and classroom adverts", () => {
    for (const [vectors, schema] of [
      [band.valid, bandAdvertSchema],
      [classroom.valid, classroomAdvertSchema],
    ] as const)
      for (const v of vectors) {
        const d = decodeAdvert(fromHex(v.hex)!);
        expect(d.ok, v.name).toBe(true);
        if (d.ok) expect(strictIssues(schema, d.value), v.name).toEqual([]);
      }
  });

  it("LoRa uplinks and downlinks", () => {
    for (const v of uplinks.valid) {
      const d = decodeUplink(v.fPort, fromHex(v.hex)!);
      expect(d.ok, v.name).toBe(true);
      if (d.ok) expect(strictIssues(classroomUplinkSchema, d.value), v.name).toEqual([]);
    }
    for (const v of downlinks.valid) {
      const d = decodeDownlink(v.fPort, fromHex(v.hex)!);
      expect(d.ok, v.name).toBe(true);
      if (d.ok) expect(strictIssues(classroomDownlinkSchema, d.value), v.name).toEqual([]);
    }
  });

  it("refuses values no decoder can produce", () => {
    const b = decodeAdvert(fromHex(band.valid[0]!.hex)!);
    if (!b.ok) throw new Error("vector does not decode");
    expect(bandAdvertSchema.safeParse({ ...b.value, steps: 200001 }).success).toBe(false);
    expect(bandAdvertSchema.safeParse({ ...b.value, eid: "A02067F7" }).success).toBe(false);
    expect(bandAdvertSchema.safeParse({ ...b.value, kind: "classroom" }).success).toBe(false);
    const up = decodeUplink(uplinks.valid[0]!.fPort, fromHex(uplinks.valid[0]!.hex)!);
    if (!up.ok) throw new Error("vector does not decode");
    expect(classroomUplinkSchema.safeParse({ ...up.value, seq: 65536 }).success).toBe(false);
  });
});

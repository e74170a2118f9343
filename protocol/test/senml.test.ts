import { describe, expect, it } from "vitest";
import { decodeEnvelope, encodePack, resolvePack, type SenmlPack } from "@leiden-iot/protocol";

const bn = "urn:uuid:0b6c1f0e-5a8e-8f0e-9c3d-1a2b3c4d5e6f:";

describe("SenML resolution (RFC 8428 4.6, RFC 9100)", () => {
  it("applies base name, base time and base unit", () => {
    const pack: SenmlPack = [
      { bn, bt: 1795425000, bu: "Cel", n: "temperature", v: 21.5 },
      { n: "temperature", v: 21.7, t: 60 },
    ];
    expect(resolvePack(pack, 0)).toEqual([
      { name: bn + "temperature", unit: "Cel", value: 21.5, time: 1795425000, ext: {} },
      { name: bn + "temperature", unit: "Cel", value: 21.7, time: 1795425060, ext: {} },
    ]);
  });
  it("accepts CO2 as a ratio under bver 10 and normalises it to ppm", () => {
    const r = resolvePack([{ bver: 10, bn, bt: 1795425000, n: "co2", u: "/", v: 0.00062 }], 0);
    expect(r).toEqual([{ name: bn + "co2", unit: "ppm", value: 620, time: 1795425000, ext: {} }]);
  });
  it("requires bver 26 for ppm", () => {
    expect(resolvePack([{ bn, bt: 1795425000, n: "co2", u: "ppm", v: 620 }], 0)).toMatch(
      /needs bver 26/,
    );
    expect(
      resolvePack([{ bver: 26, bn, bt: 1795425000, n: "co2", u: "ppm", v: 620 }], 0),
    ).not.toBeTypeOf("string");
  });
  it("treats times below 2^28 as relative to now", () => {
    const r = resolvePack([{ bn, n: "co2", u: "/", v: 0.0005, t: -30 }], 1795425000);
    expect(typeof r !== "string" && r[0]!.time).toBe(1795424970);
  });
  it("rejects invalid names, missing values and unsupported versions", () => {
    expect(resolvePack([{ bn: "has space ", n: "x", v: 1 }], 0)).toMatch(/not a valid SenML name/);
    expect(resolvePack([{ bn, n: "x" }], 0)).toMatch(/no value/);
    expect(resolvePack([{ bn, n: "x", v: 1, vs: "a" }], 0)).toMatch(/more than one value/);
    expect(resolvePack([{ bver: 5, bn, n: "x", v: 1 }], 0)).toMatch(/bver 5/);
  });
  it("rejects extension fields that must be understood (ending in _)", () => {
    const bytes = encodePack([{ bn, bt: 1795425000, n: "x", v: 1, ext: { crit_: 1 } }]);
    const r = decodeEnvelope(bytes, 0);
    expect(r.ok ? "accepted" : r.detail).toMatch(/must be understood/);
  });
  it("keeps unknown optional extension fields for the consumer", () => {
    const bytes = encodePack([
      { bn, bt: 1795425000, n: "x", v: 1, ext: { gw: "gw-1", rssi: -70 } },
    ]);
    const r = decodeEnvelope(bytes, 0);
    expect(r.ok && r.value.records[0]!.ext).toEqual({ gw: "gw-1", rssi: -70 });
  });
});

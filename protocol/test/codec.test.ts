// The generated LNS codec: ES5.1 only, no require, < 40 KB, and it decodes/encodes every LoRa
// vector exactly like the protocol package, in a bare vm context (as TTS/ChirpStack run it).
import { parse } from "acorn";
import { readFileSync, statSync } from "node:fs";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import uplinks from "../vectors/lora-uplink.json" with { type: "json" };
import downlinks from "../vectors/lora-downlink.json" with { type: "json" };

const codecUrl = new URL("../dist/codec/classroom-codec.js", import.meta.url);
const source = readFileSync(codecUrl, "utf8");
const hexBytes = (hex: string) => (hex.match(/../g) ?? []).map((h) => parseInt(h, 16));

interface Codec {
  decodeUplink(i: { bytes: number[]; fPort: number }): {
    data?: unknown;
    errors?: string[];
    warnings: string[];
  };
  encodeDownlink(i: { data: unknown }): { bytes?: number[]; fPort?: number; errors?: string[] };
  decodeDownlink(i: { bytes: number[]; fPort: number }): { data?: unknown; errors?: string[] };
}

function load(withoutTypedArrays = false): Codec {
  const ctx = vm.createContext({});
  if (withoutTypedArrays) vm.runInContext("delete this.Uint8Array;", ctx);
  vm.runInContext(source, ctx, { filename: "classroom-codec.js" });
  // Results cross the vm boundary; JSON makes them plain objects of this realm.
  const call = (fn: string) => (input: unknown) =>
    JSON.parse(vm.runInContext(`JSON.stringify(${fn}(${JSON.stringify(input)}))`, ctx));
  return {
    decodeUplink: call("decodeUplink"),
    encodeDownlink: call("encodeDownlink"),
    decodeDownlink: call("decodeDownlink"),
  } as Codec;
}

describe("generated LoRaWAN codec", () => {
  it("parses as ECMAScript 5 and stays under 40 KB", () => {
    expect(() => parse(source, { ecmaVersion: 5, sourceType: "script" })).not.toThrow();
    expect(statSync(codecUrl).size).toBeLessThan(40 * 1024);
    expect(source).not.toMatch(/\brequire\s*\(/);
  });

  for (const [label, codec] of [
    ["with typed arrays", load()],
    ["without typed arrays", load(true)],
  ] as const) {
    describe(label, () => {
      it.each(uplinks.valid.map((v) => [v.name, v] as const))("decodes uplink: %s", (_n, v) => {
        expect(codec.decodeUplink({ bytes: hexBytes(v.hex), fPort: v.fPort })).toEqual({
          data: v.decoded,
          warnings: [],
        });
      });
      it.each(uplinks.invalid.map((v) => [v.name, v] as const))("rejects uplink: %s", (_n, v) => {
        const r = codec.decodeUplink({ bytes: hexBytes(v.hex), fPort: v.fPort });
        expect(r.data).toBeUndefined();
        expect(r.errors?.[0]).toMatch(new RegExp("^" + v.reason + ": "));
      });
      it.each(downlinks.valid.map((v) => [v.name, v] as const))(
        "encodes and decodes downlink: %s",
        (_n, v) => {
          expect(codec.encodeDownlink({ data: v.decoded })).toEqual({
            bytes: hexBytes(v.hex),
            fPort: v.fPort,
            warnings: [],
          });
          expect(codec.decodeDownlink({ bytes: hexBytes(v.hex), fPort: v.fPort })).toEqual({
            data: v.decoded,
            warnings: [],
          });
        },
      );
      it.each(downlinks.invalid.map((v) => [v.name, v] as const))(
        "rejects downlink: %s",
        (_n, v) => {
          expect(
            codec.decodeDownlink({ bytes: hexBytes(v.hex), fPort: v.fPort }).errors?.[0],
          ).toMatch(new RegExp("^" + v.reason + ": "));
        },
      );
    });
  }

  it("refuses to encode an invalid downlink with a reason", () => {
    const r = load().encodeDownlink({
      data: { kind: "set_thresholds", orangePpm: 1200, redPpm: 1000, hysteresisPpm: 50 },
    });
    expect(r.bytes).toBeUndefined();
    expect(r.errors).toEqual(["out_of_range: orangePpm must be below redPpm"]);
  });

  it("ships a JSON schema that describes every decoded uplink", () => {
    const schema = JSON.parse(
      readFileSync(new URL("../dist/codec/uplink.schema.json", import.meta.url), "utf8"),
    );
    expect(schema.$schema).toMatch(/draft-07/);
    const kinds = (schema.oneOf as { properties: { kind: { const: string } } }[]).map(
      (o) => o.properties.kind.const,
    );
    expect(kinds.sort()).toEqual(["batch", "device_status", "reading"]);
  });
});

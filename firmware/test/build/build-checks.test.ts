import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildBundle } from "../../src/build/build-bundle.js";
import { checkBundle } from "../../src/build/bundle-check.js";
import { formatFinding } from "../../src/build/source-check.js";
import { TARGETS } from "../../src/build/targets.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const fixture = (name: string): string => path.join(root, "test/fixtures/build", name + ".ts");

// fixture -> [rule, line of the offending construct in the fixture, words the message must contain]
const CASES: [string, string, number, string][] = [
  ["destructuring", "destructuring", 2, "destructuring"],
  ["default-param", "default-argument", 1, "default parameters"],
  ["rest-param", "rest-argument", 1, "rest"],
  ["spread", "spread", 2, "spread"],
  ["object-spread", "spread", 2, "spread"],
  ["async", "async-await", 1, "async"],
  ["generator", "generator", 1, "generators"],
  ["optional-chain", "optional-chaining", 2, "?."],
  ["map", "api", 1, "Map"],
  ["set", "api", 1, "Set"],
  ["weakmap", "api", 1, "WeakMap"],
  ["symbol", "api", 1, "Symbol"],
  ["array-from", "api", 1, "Array.from"],
  ["object-freeze", "api", 1, "Object.freeze"],
  ["number-isinteger", "api", 2, "Number.isInteger"],
  ["math-trunc", "api", 1, "Math.trunc"],
  ["promise-finally", "api", 3, "finally"],
  ["hoisting", "hoisting", 1, "start"],
  ["hoisting-transitive", "hoisting", 4, "later"],
  ["hoisting-nested", "hoisting", 2, "inner"],
];

describe("build checks reject what Espruino lacks", () => {
  for (const c of CASES) {
    const name = c[0];
    const rule = c[1];
    const line = c[2];
    const words = c[3];
    it(name + " fails the build with file:line and a fix", async () => {
      const r = await buildBundle({ entry: fixture(name), root });
      expect(r.ok).toBe(false);
      expect(r.code).toBe("");
      const hit = r.findings.find((f) => f.rule === rule);
      expect(hit, r.findings.map(formatFinding).join("\n")).toBeDefined();
      expect(hit!.file).toBe("test/fixtures/build/" + name + ".ts");
      expect(hit!.line).toBe(line);
      expect(hit!.message).toContain(words);
      expect(formatFinding(hit!)).toMatch(/^test\/fixtures\/build\/[a-z-]+\.ts:\d+:\d+ \[/);
    });
  }

  it("a file with callbacks and definitions in order passes", async () => {
    const r = await buildBundle({ entry: fixture("clean"), root });
    expect(r.findings.map(formatFinding)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.bytes).toBeGreaterThan(0);
  });

  it("the bundle check alone catches APIs in plain JavaScript", () => {
    const f = checkBundle("var a = Array.from([1]); var m = new Map(); x.finally(g);", {
      file: "b.js",
    });
    expect(f.map((x) => x.rule + ":" + x.message.split(":")[0])).toEqual([
      "api:Espruino has no Array.from",
      "api:Espruino has no Map",
      "api:Espruino has no Promise.prototype.finally",
    ]);
  });

  it("a property called Map or a method called from is not a global API", () => {
    expect(checkBundle("var o = { Map: 1 }; o.Map = 2; y.from(1);", { file: "b.js" })).toEqual([]);
  });
});

describe("the real bundles", () => {
  for (const t of TARGETS) {
    it(t.name + " passes every check", async () => {
      const r = await buildBundle({ entry: path.join(root, t.entry), root, scope: t.scope });
      expect(r.findings.map(formatFinding)).toEqual([]);
      expect(r.ok).toBe(true);
      // It is the protocol's encoder that ends up on the device, not a copy.
      expect(r.inputs.some((i) => i.indexOf("protocol/src/band-advert.ts") >= 0)).toBe(
        t.device === "band" || t.device === "classroom",
      );
    });
  }
});

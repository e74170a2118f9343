// The dissector's decoding core, compiled to Lua by `npm run build`, run by Debian's plain lua5.4
// (the Lua of Wireshark >= 4.4) over every vector: fields, rejection reasons, device resolution,
// pseudonyms, MAC checks, and the AES-128 / AES-CMAC it computes them with.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bleCases, loraCases, vectorKeys } from "../../scripts/wireshark-cases.js";
import { expectedFields, pick, type FieldValues } from "./expected.js";

const core = fileURLToPath(new URL("../../dist/wireshark/leiden-iot-core.lua", import.meta.url));

interface Answer {
  fields: FieldValues;
  experts: string[];
  lines: string[];
}

/** Runs all requests through one lua5.4 process; one answer per request line. */
function runLua(requests: string[]): Answer[] {
  if (!existsSync(core)) throw new Error(`${core} is missing: run npm run build first`);
  let out: string;
  try {
    out = execFileSync("lua5.4", [core], { input: requests.join("\n") + "\n", encoding: "utf8" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT")
      throw new Error("lua5.4 not found: apt-get install lua5.4 (.ci/run installs it)");
    throw e;
  }
  const lines = out.split("\n");
  expect(lines[0]).toBe("ready\tLua 5.4");
  const answers: Answer[] = [];
  let cur: Answer = { fields: new Map(), experts: [], lines: [] };
  for (const line of lines.slice(1)) {
    if (line === "") continue;
    if (line === "end") {
      answers.push(cur);
      cur = { fields: new Map(), experts: [], lines: [] };
      continue;
    }
    cur.lines.push(line);
    const [key, ...rest] = line.split("\t");
    if (key === "expert") cur.experts.push(rest.join("\t"));
    else if (key!.startsWith("liot."))
      cur.fields.set(key!, [...(cur.fields.get(key!) ?? []), rest.join("\t")]);
  }
  expect(answers).toHaveLength(requests.length);
  return answers;
}

const keys = `keys ${vectorKeys.masterKey} ${vectorKeys.pseudonymScope} ${vectorKeys.deviceIds}`;

describe("leiden-iot-core.lua under lua5.4", () => {
  it("computes AES-128 (FIPS-197 B, C.1) and AES-CMAC (RFC 4493 examples 1-4)", () => {
    const key = "2b7e151628aed2a6abf7158809cf4f3c";
    const msg =
      "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
    const answers = runLua([
      `aes ${key} 3243f6a8885a308d313198a2e0370734`,
      "aes 000102030405060708090a0b0c0d0e0f 00112233445566778899aabbccddeeff",
      `cmac ${key} -`,
      `cmac ${key} ${msg.slice(0, 32)}`,
      `cmac ${key} ${msg.slice(0, 80)}`,
      `cmac ${key} ${msg}`,
    ]);
    expect(answers.map((a) => a.lines[0])).toEqual([
      "aes\t3925841d02dc09fbdc118597196a0b32",
      "aes\t69c4e0d86a7b0430d8cdb78070b4c55a",
      "cmac\tbb1d6929e95937287fa37d129b756746",
      "cmac\t070a16b46b4d4144f79bdd9dd04a287c",
      "cmac\tdfa66747de9ae63030ca32611497c827",
      "cmac\t51f0bebf7e3b9d92fc49741779363cfe",
    ]);
  });

  const ble = bleCases();
  const bleAnswers = runLua([
    keys,
    ...ble.map((c) => `ble ${c.time} ${c.hex === "" ? "-" : c.hex}`),
  ]).slice(1);

  it.each(ble.map((c, i) => [c.name, c, bleAnswers[i]!] as const))("BLE %s", (_name, c, a) => {
    if (c.decoded && !c.tampered) {
      const want = expectedFields(c.decoded, "liot", ["true", "false"]);
      expect(pick(a.fields, want)).toEqual(want);
    }
    if (c.reason === null && !c.tampered) {
      expect(a.fields.get("liot.mac_status")).toEqual(["valid"]);
      expect(a.fields.get("liot.reason")).toBeUndefined();
    }
    if (c.deviceId !== null) expect(a.fields.get("liot.device_id")).toEqual([String(c.deviceId)]);
    if (c.pseudonym !== null) expect(a.fields.get("liot.pseudonym")).toEqual([c.pseudonym]);
    if (c.unixSeconds !== null) {
      expect(a.fields.get("liot.kind")).toEqual(["time_beacon"]);
      expect(a.fields.get("liot.unix_seconds")).toEqual([String(c.unixSeconds)]);
    }
    const reason = c.tampered ? "bad_mac" : c.reason;
    if (reason !== null) {
      expect(a.fields.get("liot.reason")).toEqual([reason]);
      expect(a.experts.some((e) => e.includes("\t" + reason + ": "))).toBe(true);
    }
    if (reason === "bad_mac") expect(a.fields.get("liot.mac_status")).toEqual(["invalid"]);
  });

  it("says no_key for every signed frame when no master key is set", () => {
    const valid = ble.filter((c) => c.reason === null && !c.tampered);
    const answers = runLua(valid.map((c) => `ble ${c.time} ${c.hex}`));
    for (const a of answers) {
      expect(a.fields.get("liot.mac_status")).toEqual(["no_key"]);
      expect(a.fields.get("liot.device_id")).toBeUndefined();
    }
  });

  const lora = loraCases();
  const loraAnswers = runLua(lora.map((c) => `lora ${c.direction} ${c.fPort} ${c.hex}`));

  it.each(lora.map((c, i) => [c.name, c, loraAnswers[i]!] as const))("LoRa %s", (_name, c, a) => {
    if (c.decoded) {
      const want = expectedFields(c.decoded, "liot.lora", ["true", "false"]);
      expect(pick(a.fields, want)).toEqual(want);
      expect(a.fields.get("liot.lora.reason")).toBeUndefined();
    } else {
      expect(a.fields.get("liot.lora.reason")).toEqual([c.reason]);
      expect(a.experts.some((e) => e.startsWith("rejected\t" + c.reason + ": "))).toBe(true);
    }
  });
});

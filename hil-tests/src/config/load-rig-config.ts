// Reads and validates a rig config file. Every problem is reported at once, each with its YAML
// path and what to change.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { z } from "zod";
import { pinIssues, rigConfigSchema, type RigConfig } from "./rig-config.js";

export class RigConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RigConfigError";
  }
}

const KNOWN: Record<string, string> = {
  pins: "power, light, vibration, lowSupply, co2Valve, fan",
  light: "red, green, blue, dark, lit",
  devices: "band, classroom",
  shaker: "pin, restDeg, fromDeg, toDeg, hz",
};

function describe(issue: z.core.$ZodIssue): string {
  const path = issue.path.length ? issue.path.map(String).join(".") : "(top level)";
  if (issue.code === "unrecognized_keys") {
    const parent = String(issue.path[issue.path.length - 1] ?? "");
    const known = KNOWN[parent];
    return `${path}: unknown ${issue.keys.length > 1 ? "names" : "name"} ${issue.keys.join(", ")}${known ? ` (known: ${known})` : ""}: fix the spelling or remove it`;
  }
  return `${path}: ${issue.message}`;
}

export function parseRigConfig(raw: unknown, file = "rig config"): RigConfig {
  const r = rigConfigSchema.safeParse(raw ?? {});
  if (!r.success) {
    const lines = r.error.issues.map((i) => "  " + describe(i));
    throw new RigConfigError(
      `${file} is not valid:\n${lines.join("\n")}\nSee hil-tests/README.md#rig-config for an example.`,
    );
  }
  const pins = pinIssues(r.data);
  if (pins.length > 0)
    throw new RigConfigError(
      `${file} names pins the ${r.data.firmata.board} cannot use:\n${pins.map((p) => "  " + p).join("\n")}`,
    );
  return r.data;
}

export function loadRigConfig(path: string): RigConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new RigConfigError(
      `cannot read the rig config ${path}: ${(e as Error).message}. Copy hil-tests/rigs/example.yaml and adapt it.`,
    );
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new RigConfigError(`${path} is not valid YAML: ${(e as Error).message}`);
  }
  return parseRigConfig(raw, path);
}

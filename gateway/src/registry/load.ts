// Loads the key registry from a YAML or JSON file: the deployment master key and a device list
// (keys derived), explicit per-device keys, or both. Errors name the path and the fix.
import { readFileSync } from "node:fs";
import {
  ROOM_NAME_MAX,
  derivePseudonymKey,
  fromHex,
  nodeAes128,
  validRoomName,
} from "@leiden-iot/protocol";
import { parse } from "yaml";
import { z } from "zod";
import { ConfigError, formatIssues } from "../config/issues.js";
import { strictObject } from "../config/strict-object.js";
import { MemoryRegistry, type DeviceEntry } from "./registry.js";

const hex = (bytes: number, what: string) =>
  z
    .string()
    .regex(
      new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`),
      `${what} must be ${bytes * 2} hex characters (${bytes} bytes)`,
    );
const key16 = hex(16, "a key");
const u32 = z.number().int().min(0).max(0xffffffff);

const loraSchema = strictObject({
  devEui: hex(8, "devEui"),
  devAddr: hex(4, "devAddr").optional(),
  nwkSKey: key16.optional(),
  appSKey: key16.optional(),
});

const deviceSchema = strictObject({
  id: u32,
  kind: z.enum(["band", "classroom"]),
  key: key16.optional(),
  lora: loraSchema.optional(),
  /** A classroom node's room (the enrolment page records it; the Kijk mee page shows it). */
  room: z
    .string()
    .refine(validRoomName, `1 to ${ROOM_NAME_MAX} letters, digits or signs, no quotes or backslash`)
    .optional(),
  /** Date the enrolment page enrolled it (YYYY-MM-DD); information only. */
  enrolled: z
    .string()
    .regex(/^\d{4}-\d\d-\d\d$/, "enrolled must be a date YYYY-MM-DD")
    .optional(),
}).refine((d) => d.room === undefined || d.kind === "classroom", {
  message: "only a classroom node has a room; remove it or set kind: classroom",
  path: ["room"],
});

const rangeSchema = strictObject({
  kind: z.enum(["band", "classroom"]),
  first: u32,
  count: z.number().int().min(1).max(10_000_000),
});

export const registryFileSchema = strictObject({
  masterKey: key16.optional(),
  pseudonymScope: z.string().min(1).default("leiden-pilot"),
  pseudonymKey: key16.optional(),
  devices: z.array(deviceSchema).default([]),
  /** Bulk registration: ids first .. first+count-1, keys derived from the master key. */
  ranges: z.array(rangeSchema).default([]),
}).refine((r) => r.masterKey || r.pseudonymKey, {
  message: "set masterKey (recommended) or pseudonymKey: pseudonyms need a key",
  path: ["masterKey"],
});

export type RegistryFile = z.infer<typeof registryFileSchema>;

function bytes(h: string): Uint8Array {
  return fromHex(h.toLowerCase())!;
}

export function registryFromData(data: unknown, file = "registry"): MemoryRegistry {
  const r = registryFileSchema.safeParse(data ?? {});
  if (!r.success) throw new ConfigError(formatIssues(file, r.error));
  const v = r.data;
  const master = v.masterKey ? bytes(v.masterKey) : undefined;
  if (!master) {
    const missing = v.devices.find((d) => !d.key);
    if (missing || v.ranges.length)
      throw new ConfigError(
        `${file}: devices without a key (or ranges) need masterKey; add masterKey or a key per device`,
      );
  }
  const pseudonymKey = v.pseudonymKey
    ? bytes(v.pseudonymKey)
    : derivePseudonymKey(nodeAes128, master!, v.pseudonymScope);
  const reg = new MemoryRegistry({
    ...(master ? { masterKey: master } : {}),
    pseudonymKey: pseudonymKey,
    devices: [],
  });
  for (const rg of v.ranges)
    for (let i = 0; i < rg.count; i++) reg.add({ id: rg.first + i, kind: rg.kind });
  for (const d of v.devices) {
    const e: DeviceEntry & { key?: Uint8Array } = { id: d.id, kind: d.kind };
    if (d.key) e.key = bytes(d.key);
    if (d.room) e.room = d.room;
    if (d.lora) {
      e.lora = { devEui: d.lora.devEui.toLowerCase() };
      if (d.lora.devAddr) e.lora.devAddr = d.lora.devAddr.toLowerCase();
      if (d.lora.nwkSKey) e.lora.nwkSKey = bytes(d.lora.nwkSKey);
      if (d.lora.appSKey) e.lora.appSKey = bytes(d.lora.appSKey);
    }
    reg.add(e);
  }
  return reg;
}

/** Reads a registry file (.yaml, .yml or .json). */
export function loadRegistry(path: string): MemoryRegistry {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(
      `cannot read the key registry ${path}: ${(e as Error).message}. Create it with \`npm run gateway -- keys init --registry ${path}\`.`,
    );
  }
  let data: unknown;
  try {
    data = path.endsWith(".json") ? JSON.parse(text) : parse(text);
  } catch (e) {
    throw new ConfigError(`${path} is not valid YAML/JSON: ${(e as Error).message}`);
  }
  return registryFromData(data, path);
}

// Records an enrolled device in the key registry file: one `devices:` entry (id, kind, date), no
// key (it derives from the master key). Comments survive (yaml Document API); the file is checked
// with the registry's own schema before it replaces the old one atomically (mode 600).
import { renameSync, readFileSync, writeFileSync } from "node:fs";
import { parseDocument, type YAMLSeq } from "yaml";
import { registryFromData } from "../registry/load.js";
import type { EnrolKind } from "./enrol-book.js";

export interface RecordedDevice {
  id: number;
  kind: EnrolKind;
  /** ISO date of the enrolment. */
  enrolled: string;
  lora?: { devEui: string };
  room?: string;
}

export function recordInRegistry(path: string, dev: RecordedDevice): void {
  const doc = parseDocument(readFileSync(path, "utf8"));
  if (doc.errors.length) throw new Error(`${path}: ${doc.errors[0]!.message}`);
  let devices = doc.get("devices") as YAMLSeq | undefined;
  if (!devices) {
    doc.set("devices", doc.createNode([]));
    devices = doc.get("devices") as YAMLSeq;
  }
  const entry: Record<string, unknown> = { id: dev.id, kind: dev.kind, enrolled: dev.enrolled };
  if (dev.lora) entry.lora = dev.lora;
  if (dev.room) entry.room = dev.room;
  devices.items = devices.items.filter(
    (n) => (n as { get?: (k: string) => unknown }).get?.("id") !== dev.id,
  );
  devices.add(doc.createNode(entry));
  const text = doc.toString();
  registryFromData(doc.toJS(), path); // the gateway must still load it
  const tmp = path + ".enrol-" + process.pid + ".tmp";
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
}

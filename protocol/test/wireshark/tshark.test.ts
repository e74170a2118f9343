// The dissector in real tshark (Debian's, Wireshark 4.0 with Lua 5.2): protocol/vectors written as
// captures a user's sniffer makes (BLE: LINKTYPE_BLUETOOTH_LE_LL_WITH_PHDR, ADV_NONCONN_IND, which
// Wireshark hands to the plugin through btcommon's company-id table; LoRaWAN: LoRaTap, decrypted by
// Wireshark's own LoRaWAN dissector with the session keys in its key table), read with
// `tshark -X lua_script:dist/wireshark/leiden-iot.lua -T json`. Every liot.* field must equal what
// protocol's decoders say for the vector, every invalid frame must carry its reason as an expert
// item, and the MAC status must follow the key preferences (valid / invalid / no_key).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { lorawanKeysOptions } from "../../scripts/pcap.js";
import {
  FPORT_CALIBRATION,
  FPORT_SET_INTERVAL,
  FPORT_SET_THRESHOLDS,
  FPORT_SET_TIME,
} from "../../src/lora-downlink.js";
import { FPORT_BATCH, FPORT_DEVICE_STATUS, FPORT_READING } from "../../src/lora-uplink.js";
import {
  bleCases,
  blePcap,
  loraCases,
  loraPcap,
  loraSession,
  vectorKeys,
} from "../../scripts/wireshark-cases.js";
import { expectedFields, pick, type FieldValues } from "./expected.js";

const plugin = fileURLToPath(new URL("../../dist/wireshark/leiden-iot.lua", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "liot-tshark-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Expert {
  /** The expert item's field: liot.rejected, liot.bad_mac, liot.unverified (or liot.lora.*). */
  kind: string;
  message: string;
}
interface Dissected {
  fields: FieldValues;
  experts: Expert[];
  /** Every other layer's fields by name, as tshark printed them (first value). */
  layers: Map<string, string>;
}

type Json = string | Json[] | { [key: string]: Json };

/** The packets tshark dissected, each with the fields of the layer `proto` (liot or liot_lora). */
function tshark(pcap: Buffer, proto: string, options: string[]): Dissected[] {
  if (!existsSync(plugin)) throw new Error(`${plugin} is missing: run npm run build first`);
  const file = join(dir, proto + "-" + Math.random().toString(16).slice(2) + ".pcap");
  writeFileSync(file, pcap);
  let out: string;
  try {
    out = execFileSync(
      "tshark",
      ["-r", file, "-X", "lua_script:" + plugin, ...options.flatMap((o) => ["-o", o])].concat([
        "-T",
        "json",
        "--no-duplicate-keys",
      ]),
      // a private HOME: no Wireshark preferences or plugins of whoever runs the tests
      {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, HOME: dir },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT")
      throw new Error("tshark not found: apt-get install tshark (.ci/run installs it)");
    throw e;
  }
  const packets = JSON.parse(out) as { _source: { layers: Record<string, Json> } }[];
  return packets.map((p) => {
    const d: Dissected = { fields: new Map(), experts: [], layers: new Map() };
    collectLayers(p._source.layers, d.layers);
    const root = findKey(p._source.layers, proto);
    if (root !== undefined) collect(root, d);
    return d;
  });
}

function findKey(node: Json, key: string): Json | undefined {
  if (typeof node === "string") return undefined;
  if (Array.isArray(node)) {
    for (const n of node) {
      const f = findKey(n, key);
      if (f !== undefined) return f;
    }
    return undefined;
  }
  if (key in node) return node[key];
  for (const v of Object.values(node)) {
    const f = findKey(v, key);
    if (f !== undefined) return f;
  }
  return undefined;
}

function collectLayers(node: Json, out: Map<string, string>): void {
  if (typeof node === "string") return;
  for (const [k, v] of Array.isArray(node)
    ? node.map((n) => ["", n] as const)
    : Object.entries(node)) {
    if (typeof v === "string") {
      if (k !== "" && !out.has(k)) out.set(k, v);
    } else collectLayers(v, out);
  }
}

/** liot.* values (a group's own entry is its children), and the expert items under the layer. */
function collect(node: Json, d: Dissected, key = ""): void {
  if (typeof node === "string") {
    if (key.startsWith("liot.")) d.fields.set(key, [...(d.fields.get(key) ?? []), node]);
    return;
  }
  if (Array.isArray(node)) {
    for (const n of node) collect(n, d, key);
    return;
  }
  if (key === "_ws.expert") {
    const kind = Object.keys(node).find((k) => k.startsWith("liot."));
    d.experts.push({ kind: kind ?? "", message: String(node["_ws.expert.message"] ?? "") });
    return;
  }
  for (const [k, v] of Object.entries(node)) collect(v, d, k);
}

const ble = bleCases();
const keyed = tshark(blePcap(ble), "liot", [
  "liot.master_key:" + vectorKeys.masterKey,
  "liot.pseudonym_scope:" + vectorKeys.pseudonymScope,
  "liot.device_ids:" + vectorKeys.deviceIds,
]);
const keyless = tshark(blePcap(ble), "liot", []);

describe("tshark with leiden-iot.lua: BLE adverts under company id 0x0590", () => {
  it("dissects one packet per vector, each as btle manufacturer data of 0x0590", () => {
    expect(keyed).toHaveLength(ble.length);
    for (const p of keyed) {
      expect(p.layers.get("btle.advertising_header.pdu_type")).toBe("0x02"); // ADV_NONCONN_IND
      expect(p.layers.get("btcommon.eir_ad.entry.company_id")).toBe("0x0590");
      expect(p.fields.size).toBeGreaterThan(0);
    }
  });

  it("names the fields liot. + the decoded keys in snake_case, backlog days included", () => {
    const withBacklog = ble.findIndex((c) => !c.tampered && (c.decoded?.backlog ?? null) !== null);
    expect(withBacklog).toBeGreaterThanOrEqual(0);
    const backlog = ble[withBacklog]!.decoded!.backlog as { daysAgo: number; steps: number };
    const f = keyed[withBacklog]!.fields;
    expect(f.get("liot.backlog.days_ago")).toEqual([String(backlog.daysAgo)]);
    expect(f.get("liot.backlog.steps")).toEqual([String(backlog.steps)]);
    expect(f.get("liot.battery_mv")).toBeDefined();
    expect(f.get("liot.flags.goal_reached")).toBeDefined();
  });

  it.each(ble.map((c, i) => [c.name, c, i] as const))("%s", (_name, c, i) => {
    const a = keyed[i]!;
    if (c.decoded && !c.tampered) {
      const want = expectedFields(c.decoded, "liot", ["1", "0"]);
      expect(pick(a.fields, want)).toEqual(want);
    }
    if (c.reason === null && !c.tampered) {
      expect(a.fields.get("liot.mac_status")).toEqual(["valid"]);
      expect(a.fields.get("liot.reason")).toBeUndefined();
      expect(a.experts).toEqual([]);
    }
    if (c.deviceId !== null) expect(a.fields.get("liot.device_id")).toEqual([String(c.deviceId)]);
    if (c.pseudonym !== null) expect(a.fields.get("liot.pseudonym")).toEqual([c.pseudonym]);
    if (c.unixSeconds !== null) {
      expect(a.fields.get("liot.kind")).toEqual(["time_beacon"]);
      expect(a.fields.get("liot.unix_seconds")).toEqual([String(c.unixSeconds)]);
    }
    // a frame whose MAC does not verify: decoded, but flagged with bad_mac
    if (c.tampered || c.reason === "bad_mac") {
      expect(a.fields.get("liot.mac_status")).toEqual(["invalid"]);
      expect(a.fields.get("liot.reason")).toEqual(["bad_mac"]);
      expect(a.experts.map((e) => e.kind)).toEqual(["liot.bad_mac"]);
      expect(a.experts[0]!.message).toMatch(/^bad_mac: ./);
    } else if (c.reason !== null) {
      // a frame protocol rejects: its reason, and nothing decoded
      expect(a.fields.get("liot.reason")).toEqual([c.reason]);
      expect(a.fields.get("liot.kind")).toBeUndefined();
      expect(a.experts.map((e) => e.kind)).toEqual(["liot.rejected"]);
      expect(a.experts[0]!.message).toMatch(new RegExp("^" + c.reason + ": ."));
    }
  });

  it("without a master key: every signed frame says no_key and resolves no device", () => {
    const signed = ble.map((c, i) => [c, keyless[i]!] as const).filter(([c]) => !c.reason);
    expect(signed.length).toBeGreaterThan(0);
    for (const [c, a] of signed) {
      expect(a.fields.get("liot.mac_status"), c.name).toEqual(["no_key"]);
      expect(a.fields.get("liot.device_id"), c.name).toBeUndefined();
      expect(a.fields.get("liot.reason"), c.name).toBeUndefined();
    }
  });

  it("with a master key one bit off: no valid MAC and no device", () => {
    const last = parseInt(vectorKeys.masterKey.slice(-1), 16) ^ 1;
    const wrong = tshark(blePcap(ble), "liot", [
      "liot.master_key:" + vectorKeys.masterKey.slice(0, -1) + last.toString(16),
      "liot.device_ids:" + vectorKeys.deviceIds,
    ]);
    const signed = ble.map((c, i) => [c, wrong[i]!] as const).filter(([c]) => !c.reason);
    for (const [c, a] of signed) {
      expect(a.fields.get("liot.mac_status"), c.name).not.toEqual(["valid"]);
      expect(a.fields.get("liot.device_id"), c.name).toBeUndefined();
    }
  });
});

describe("tshark with leiden-iot.lua: LoRaWAN payloads decrypted by Wireshark", () => {
  const lora = loraCases();
  const keys = lorawanKeysOptions(loraSession);
  const packets = tshark(loraPcap(lora), "liot_lora", keys);
  // fPorts the classroom node does not use are left alone unless "Decode every fPort" is set
  const allPorts = tshark(loraPcap(lora), "liot_lora", [...keys, "liot_lora.all_ports:TRUE"]);
  const ports = {
    up: [FPORT_READING, FPORT_BATCH, FPORT_DEVICE_STATUS],
    down: [FPORT_SET_INTERVAL, FPORT_SET_THRESHOLDS, FPORT_CALIBRATION, FPORT_SET_TIME],
  };
  const classroomPort = (c: (typeof lora)[number]) => ports[c.direction].includes(c.fPort);

  it("dissects one LoRaWAN frame per vector, with its fPort", () => {
    expect(packets).toHaveLength(lora.length);
    lora.forEach((c, i) =>
      expect(Number(packets[i]!.layers.get("lorawan.fport")), c.name).toBe(c.fPort),
    );
    expect(lora.some((c) => !classroomPort(c))).toBe(true);
  });

  it.each(lora.map((c, i) => [c.direction + " fPort " + c.fPort + ": " + c.name, c, i] as const))(
    "%s",
    (_name, c, i) => {
      const a = classroomPort(c) ? packets[i]! : allPorts[i]!;
      if (!classroomPort(c)) expect(packets[i]!.fields.size).toBe(0);
      if (c.decoded) {
        const want = expectedFields(c.decoded, "liot.lora", ["1", "0"]);
        expect(pick(a.fields, want)).toEqual(want);
        expect(a.fields.get("liot.lora.reason")).toBeUndefined();
        expect(a.experts).toEqual([]);
      } else {
        expect(a.fields.get("liot.lora.reason")).toEqual([c.reason]);
        expect(a.experts.map((e) => e.kind)).toEqual(["liot.lora.rejected"]);
        expect(a.experts[0]!.message).toMatch(new RegExp("^" + c.reason + ": ."));
      }
    },
  );
});

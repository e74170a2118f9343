// liot-history-store: classroom signals into a SQLite file; a snapshot per classroom (current
// signal and a 24-hour CO2 series) out, so dashboard charts survive a restart.
import { readFileSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { snapshot, type HistoryRow, type RoomName } from "../core/history.js";
import { namesFromTable } from "../core/history-names.js";
import { HistoryDb } from "../store/history-db.js";
import { num, short, type Node, type NodeDef, type NodeMessage, type RED } from "./red.js";

function rowOf(msg: NodeMessage): HistoryRow | string {
  const p = msg.payload as Record<string, unknown> | undefined;
  if (!p || typeof p !== "object") return "payload must be a classroom signal";
  if (typeof p.pseudonym !== "string" || p.pseudonym === "") return "payload.pseudonym missing";
  if (typeof p.time !== "number" || !Number.isFinite(p.time)) return "payload.time missing";
  if (typeof p.signal !== "string") return "payload.signal missing";
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return {
    pseudonym: p.pseudonym,
    time: p.time,
    co2Ppm: n(p.co2Ppm),
    temperature: n(p.temperature),
    humidity: n(p.humidity),
    signal: p.signal,
    alerting: p.alerting === true,
  };
}

function parseNames(v: unknown): Record<string, RoomName> | string {
  if (typeof v !== "string" || v.trim() === "") return {};
  try {
    const o = JSON.parse(v) as unknown;
    if (!o || typeof o !== "object" || Array.isArray(o)) return "names must be a JSON object";
    return o as Record<string, RoomName>;
  } catch {
    return "names is not valid JSON";
  }
}

/**
 * The names table file, read again whenever it changes (a missing file is an empty table).
 * Returns the names and the problem with the file, if any.
 */
function namesFileReader(
  path: string,
): () => { names: Record<string, RoomName>; problem?: string } {
  let mtime = -1;
  let last: { names: Record<string, RoomName>; problem?: string } = { names: {} };
  return () => {
    const st = statSync(path, { throwIfNoEntry: false });
    const m = st ? st.mtimeMs : 0;
    if (m === mtime) return last;
    mtime = m;
    if (!st) return (last = { names: {} });
    try {
      const r = namesFromTable(parseYaml(readFileSync(path, "utf8")) as unknown, path);
      last = typeof r === "string" ? { names: {}, problem: r } : { names: r };
    } catch (e) {
      last = { names: {}, problem: path + ": " + (e as Error).message.split("\n")[0] };
    }
    return last;
  };
}

export default function register(RED: RED): void {
  function HistoryStoreNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    setup(this, def);
  }
  function setup(node: Node, def: NodeDef): void {
    const fileSetting = String(
      def.file || process.env.LIOT_HISTORY_FILE || "leiden-history.sqlite",
    );
    const file = isAbsolute(fileSetting)
      ? fileSetting
      : join(RED.settings.userDir || process.cwd(), fileSetting);
    const windowSeconds = num(def.windowHours, 24) * 3600;
    const keepSeconds = Math.max(windowSeconds, num(def.keepHours, 48) * 3600);
    const bucketSeconds = Math.max(10, num(def.bucketMinutes, 5) * 60);
    const debounceMs = Math.max(0, num(def.debounceMs, 1000));
    const names = parseNames(def.names);
    const namesSetting = String(def.namesFile || process.env.LIOT_CLASSROOM_NAMES || "names.yaml");
    const namesFile = namesFileReader(
      isAbsolute(namesSetting)
        ? namesSetting
        : join(RED.settings.userDir || process.cwd(), namesSetting),
    );
    let db: HistoryDb | null = null;
    let pending: NodeJS.Timeout | null = null;
    let newest = 0;
    let warned: string | undefined;
    try {
      db = new HistoryDb(file);
    } catch (e) {
      node.status({ fill: "red", shape: "ring", text: short("cannot open " + file) });
      node.error(
        new Error("liot-history-store: cannot open " + file + ": " + (e as Error).message),
      );
    }
    if (typeof names === "string") node.status({ fill: "red", shape: "ring", text: names });

    const emitSnapshot = () => {
      pending = null;
      if (!db) return;
      try {
        const now = Math.max(Date.now() / 1000, newest);
        db.prune(now - keepSeconds);
        const rows = db.since(now - windowSeconds);
        const table = namesFile();
        const all = Object.assign({}, typeof names === "string" ? {} : names, table.names);
        const classrooms = snapshot(rows, all, bucketSeconds);
        node.send({ topic: "classrooms", payload: { generatedAt: now, classrooms } });
        if (table.problem && table.problem !== warned)
          node.warn("liot-history-store: " + table.problem);
        warned = table.problem;
        if (table.problem) node.status({ fill: "red", shape: "ring", text: short(table.problem) });
        else
          node.status({
            fill: "green",
            shape: "dot",
            text: classrooms.length + " / " + rows.length,
          });
      } catch (e) {
        node.error(new Error("liot-history-store: " + (e as Error).message));
      }
    };
    const soon = () => {
      if (!pending) pending = setTimeout(emitSnapshot, debounceMs);
    };
    const startup = db ? setTimeout(emitSnapshot, 200) : null;

    node.on("input", (msg, _send, done) => {
      if (!db) {
        node.error(new Error("liot-history-store: no database"), msg);
        return done();
      }
      if (msg.topic === "refresh") {
        emitSnapshot();
        return done();
      }
      const list = Array.isArray(msg.payload)
        ? (msg.payload as unknown[]).map((p) => rowOf({ payload: p }))
        : [rowOf(msg)];
      const bad = list.find((r): r is string => typeof r === "string");
      if (bad) {
        node.status({ fill: "red", shape: "ring", text: short(bad) });
        node.error(new Error("liot-history-store: " + bad), msg);
        return done();
      }
      const rows = list as HistoryRow[];
      try {
        db.insert(rows);
      } catch (e) {
        node.error(new Error("liot-history-store: " + (e as Error).message), msg);
        return done();
      }
      for (const r of rows) newest = Math.max(newest, r.time);
      soon();
      done();
    });
    node.on("close", (_removed, done) => {
      if (pending) clearTimeout(pending);
      if (startup) clearTimeout(startup);
      if (db) db.close();
      db = null;
      done();
    });
  }
  RED.nodes.registerType("liot-history-store", HistoryStoreNode);
}

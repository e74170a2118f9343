// Opens the gateway's SQLite state file (outbox + frame counters) in WAL mode.
// synchronous=NORMAL survives a process crash (kill -9) without losing a committed transaction;
// "full" also survives power loss at some throughput cost (config store.synchronous).
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

export type Db = Database.Database;

export function openDatabase(path: string, synchronous: "normal" | "full" = "normal"): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${synchronous === "full" ? "FULL" : "NORMAL"}`);
  db.pragma("busy_timeout = 5000");
  return db;
}

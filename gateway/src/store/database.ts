// Opens the gateway's SQLite state file (outbox + frame counters) in WAL mode.
// synchronous=NORMAL survives a process crash (kill -9) without losing a committed transaction;
// "full" also survives power loss at some throughput cost (config store.synchronous).
// The file is created 0600 (in a 0700 directory when that is new); SQLite gives the -wal and
// -shm files the database file's mode, so they are 0600 too.
import Database from "better-sqlite3";
import { dirname } from "node:path";
import { ensurePrivateDir, ensurePrivateFile } from "../state.js";

export type Db = Database.Database;

export function openDatabase(path: string, synchronous: "normal" | "full" = "normal"): Db {
  if (path !== ":memory:") {
    ensurePrivateDir(dirname(path), false);
    ensurePrivateFile(path);
  }
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${synchronous === "full" ? "FULL" : "NORMAL"}`);
  db.pragma("busy_timeout = 5000");
  return db;
}

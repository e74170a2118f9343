// Persisted frame counters, one row per stream: "ble:<deviceId>" (band/classroom advert counter
// with its replay-window bitmap), "lora:<devEui>" (32-bit FCntUp, used by the LoRa sources),
// "up:<devEui>:<devAddr>" (the pipeline's LoRa dedup window), "loradown:<devEui>" (FCntDown) and
// "lorasession:<devEui>" (how often the device was re-provisioned: part of its message ids).
// Writes are meant to share the transaction that stores the accepted frame (see outbox.ts), so a
// counter never moves past a frame that was not stored.
import type { Statement } from "better-sqlite3";
import type { Db } from "./database.js";

export interface CounterState {
  /** Highest counter accepted on this stream. */
  counter: number;
  /** Replay window: bit i set = counter - 1 - i was accepted too (BLE); 0 for LoRa. */
  window: bigint;
}

export interface FrameCounterStore {
  get(stream: string): CounterState | undefined;
  /** Writes immediately (its own transaction unless called inside one). */
  set(stream: string, state: CounterState): void;
}

export function bleStream(deviceId: number): string {
  return "ble:" + deviceId;
}
export function loraStream(devEui: string): string {
  return "lora:" + devEui.toLowerCase();
}

/** Stream of the pipeline's LoRa dedup window: a rejoin (new DevAddr) starts a new stream. */
export function uplinkStream(devEui: string, devAddr: string): string {
  return "up:" + devEui.toLowerCase() + ":" + devAddr.toLowerCase();
}
export function loraDownStream(devEui: string): string {
  return "loradown:" + devEui.toLowerCase();
}
/** Its counter is the device's message-id session (0 until `keys reprovision`). */
export function loraSessionStream(devEui: string): string {
  return "lorasession:" + devEui.toLowerCase();
}

export class SqliteFrameCounters implements FrameCounterStore {
  private readonly getStmt;
  private readonly setStmt;
  /** Multi-row UPSERTs by row count (setMany), prepared once per size. */
  private readonly upserts = new Map<number, Statement>();
  /** Streams per multi-row UPSERT (4 parameters each). */
  private static readonly CHUNK = 64;

  constructor(private readonly db: Db) {
    db.exec(`CREATE TABLE IF NOT EXISTS frame_counters (
      stream TEXT PRIMARY KEY,
      counter INTEGER NOT NULL,
      window INTEGER NOT NULL DEFAULT 0,
      updated_at REAL NOT NULL
    ) WITHOUT ROWID`);
    this.getStmt = db.prepare("SELECT counter, window FROM frame_counters WHERE stream = ?");
    this.getStmt.safeIntegers(true);
    this.setStmt = db.prepare(
      "INSERT INTO frame_counters (stream, counter, window, updated_at) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT(stream) DO UPDATE SET counter = excluded.counter, window = excluded.window, updated_at = excluded.updated_at",
    );
  }

  get(stream: string): CounterState | undefined {
    const row = this.getStmt.get(stream) as { counter: bigint; window: bigint } | undefined;
    if (!row) return undefined;
    return { counter: Number(row.counter), window: BigInt.asUintN(64, row.window) };
  }

  set(stream: string, s: CounterState): void {
    this.setStmt.run(stream, s.counter, BigInt.asIntN(64, s.window), Date.now() / 1000);
  }

  /**
   * Writes the states of many streams (each once) in multi-row UPSERTs of CHUNK streams: the
   * outbox writes one state per stream per commit, up to one per frame of a flush.
   */
  setMany(states: Map<string, CounterState>): void {
    const now = Date.now() / 1000;
    const args: unknown[] = [];
    let n = 0;
    for (const [stream, s] of states) {
      args.push(stream, s.counter, BigInt.asIntN(64, s.window), now);
      if (++n === SqliteFrameCounters.CHUNK) {
        this.upsertOf(n).run(args);
        args.length = 0;
        n = 0;
      }
    }
    if (n) this.upsertOf(n).run(args);
  }

  private upsertOf(n: number): Statement {
    let st = this.upserts.get(n);
    if (!st) {
      st = this.db.prepare(
        "INSERT INTO frame_counters (stream, counter, window, updated_at) VALUES " +
          new Array<string>(n).fill("(?, ?, ?, ?)").join(", ") +
          " ON CONFLICT(stream) DO UPDATE SET counter = excluded.counter, window = excluded.window, updated_at = excluded.updated_at",
      );
      this.upserts.set(n, st);
    }
    return st;
  }
}

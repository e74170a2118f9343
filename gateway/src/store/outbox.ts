// The durable outbox: a SQLite (WAL) queue of accepted frames. enqueue() resolves only after the
// frame (and its device's new counter state) is committed, which is the moment a frame counts as
// accepted. Writes are group-committed: everything enqueued in one event-loop turn shares a
// transaction. Bounded by bytes and by age; when over a bound the oldest rows are dropped
// (counted by reason through onDrop). Rows are deleted when the broker acknowledges them.
import type { Db } from "./database.js";
import { SqliteFrameCounters, type CounterState } from "./frame-counters.js";

export interface OutboxEntry {
  topic: string;
  payload: Uint8Array;
  properties: Record<string, string>;
  messageId: string;
  /** Unix seconds when the gateway received the frame. */
  receivedAt: number;
  /** Counter state stored in the same transaction (optional for non-frame messages). */
  counter?: { stream: string; state: CounterState };
}

export interface OutboxRow {
  id: number;
  topic: string;
  payload: Buffer;
  properties: Record<string, string>;
  messageId: string;
  receivedAt: number;
  acceptedAt: number;
  bytes: number;
}

export type DropReason = "full" | "age";

export interface OutboxOptions {
  maxBytes: number;
  maxAgeSeconds: number;
  onDrop?: (reason: DropReason, rows: number, bytes: number) => void;
  /** Maintenance (bound enforcement, expiry) failed, e.g. disk full; retried on the next flush. */
  onMaintenanceError?: (what: string, err: Error) => void;
  now?: () => number;
}

interface Pending {
  entry: OutboxEntry;
  resolve: (id: number) => void;
  reject: (e: Error) => void;
}

export class Outbox {
  readonly counters: SqliteFrameCounters;
  private pending: Pending[] = [];
  private acked: { id: number; bytes: number }[] = [];
  private scheduled = false;
  private totalBytes = 0;
  private rows = 0;
  private readonly now: () => number;
  private readonly stmts;
  private readonly listeners = new Set<() => void>();
  private closed = false;
  /**
   * Rows committed by this process, in id order, so a publisher that keeps up reads them without
   * a SELECT; anything not here (older rows, rows after a trim) is read from SQLite.
   */
  private recent: OutboxRow[] = [];
  private static readonly RECENT_MAX = 50_000;

  constructor(
    /** The SQLite connection (public for operations and fault tests: e.g. `PRAGMA query_only`). */
    readonly db: Db,
    private readonly opts: OutboxOptions,
  ) {
    this.now = opts.now ?? (() => Date.now() / 1000);
    db.exec(`CREATE TABLE IF NOT EXISTS outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      topic TEXT NOT NULL,
      payload BLOB NOT NULL,
      properties TEXT NOT NULL,
      message_id TEXT NOT NULL,
      received_at REAL NOT NULL,
      accepted_at REAL NOT NULL,
      bytes INTEGER NOT NULL
    )`);
    this.counters = new SqliteFrameCounters(db);
    this.stmts = {
      insert: db.prepare(
        "INSERT INTO outbox (topic, payload, properties, message_id, received_at, accepted_at, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ),
      del: db.prepare("DELETE FROM outbox WHERE id = ?"),
      next: db.prepare("SELECT * FROM outbox WHERE id > ? ORDER BY id LIMIT ?"),
      oldest: db.prepare("SELECT id, bytes, accepted_at FROM outbox ORDER BY id LIMIT ?"),
      first: db.prepare("SELECT accepted_at FROM outbox ORDER BY id LIMIT 1"),
      stats: db.prepare("SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM outbox"),
      expire: db.prepare(
        "SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM outbox WHERE accepted_at < ?",
      ),
      delOlder: db.prepare("DELETE FROM outbox WHERE accepted_at < ?"),
    };
    const s = this.stmts.stats.get() as { n: number; b: number };
    this.rows = s.n;
    this.totalBytes = s.b;
  }

  get depth(): number {
    return this.rows;
  }
  get bytes(): number {
    return this.totalBytes;
  }
  oldestAgeSeconds(): number {
    const r = this.stmts.first.get() as { accepted_at: number } | undefined;
    return r ? Math.max(0, this.now() - r.accepted_at) : 0;
  }

  /** Called after each commit that added rows (the publisher wakes up). */
  onAppend(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Runs a maintenance step; a SQLite error (disk full, I/O) is reported, never thrown. */
  maintain(what: string, step: () => void): void {
    try {
      step();
    } catch (e) {
      this.opts.onMaintenanceError?.(what, e as Error);
    }
  }

  enqueue(entry: OutboxEntry): Promise<number> {
    if (this.closed) return Promise.reject(new Error("outbox is closed"));
    return new Promise((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      this.schedule();
    });
  }

  /** Marks a row published (PUBACK); deleted in the next group commit. */
  ack(id: number, bytes: number): void {
    this.acked.push({ id, bytes });
    this.schedule();
  }

  next(afterId: number, limit: number): OutboxRow[] {
    // drop cached rows the reader has passed
    let k = 0;
    while (k < this.recent.length && this.recent[k]!.id <= afterId) k++;
    if (k) this.recent.splice(0, k);
    const first = this.recent[0];
    if (first && first.id === afterId + 1) return this.recent.slice(0, limit);
    const rows = this.fromDb(afterId, limit);
    if (rows.length || !first) return rows;
    return this.recent.slice(0, limit);
  }

  private fromDb(afterId: number, limit: number): OutboxRow[] {
    const rows = this.stmts.next.all(afterId, limit) as {
      id: number;
      topic: string;
      payload: Buffer;
      properties: string;
      message_id: string;
      received_at: number;
      accepted_at: number;
      bytes: number;
    }[];
    return rows.map((r) => ({
      id: r.id,
      topic: r.topic,
      payload: r.payload,
      properties: JSON.parse(r.properties) as Record<string, string>,
      messageId: r.message_id,
      receivedAt: r.received_at,
      acceptedAt: r.accepted_at,
      bytes: r.bytes,
    }));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Commits pending inserts and acks now (normally called by the scheduler). */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    const acked = this.acked;
    this.pending = [];
    this.acked = [];
    if (batch.length === 0 && acked.length === 0) return;
    const ids: number[] = [];
    const sizes: number[] = [];
    let acceptedAt = 0;
    let added = 0;
    let removed = 0;
    let removedRows = 0;
    try {
      this.db.transaction(() => {
        const now = this.now();
        for (const p of batch) {
          const e = p.entry;
          const props = JSON.stringify(e.properties);
          const size = e.payload.byteLength + e.topic.length + props.length;
          const r = this.stmts.insert.run(
            e.topic,
            e.payload,
            props,
            e.messageId,
            e.receivedAt,
            now,
            size,
          );
          ids.push(Number(r.lastInsertRowid));
          sizes.push(size);
          acceptedAt = now;
          added += size;
          if (e.counter) this.counters.set(e.counter.stream, e.counter.state);
        }
        for (const a of acked) {
          const r = this.stmts.del.run(a.id);
          if (r.changes) {
            removedRows++;
            removed += a.bytes;
          }
        }
      })();
    } catch (e) {
      const err = e as Error;
      for (const p of batch) p.reject(err);
      // acks are retried with the next commit
      this.acked.push(...acked);
      return;
    }
    this.rows += batch.length - removedRows;
    this.totalBytes += added - removed;
    // Never let maintenance throw out of a flush: the batch is committed and must be resolved.
    if (this.totalBytes > this.opts.maxBytes) this.maintain("dropOldest", () => this.dropOldest());
    for (let i = 0; i < batch.length; i++) {
      const e = batch[i]!.entry;
      this.recent.push({
        id: ids[i]!,
        topic: e.topic,
        payload: Buffer.from(e.payload.buffer, e.payload.byteOffset, e.payload.byteLength),
        properties: e.properties,
        messageId: e.messageId,
        receivedAt: e.receivedAt,
        acceptedAt,
        bytes: sizes[i]!,
      });
    }
    if (this.recent.length > Outbox.RECENT_MAX)
      this.recent.splice(0, this.recent.length - Outbox.RECENT_MAX / 2);
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(ids[i]!);
    if (batch.length) for (const fn of this.listeners) fn();
  }

  /** Oldest-first drop until under maxBytes. Counted and reported through onDrop. */
  private dropOldest(): void {
    let over = this.totalBytes - this.opts.maxBytes;
    let rows = 0;
    let bytes = 0;
    const tx = this.db.transaction(() => {
      while (over > 0) {
        const oldest = this.stmts.oldest.all(256) as { id: number; bytes: number }[];
        if (oldest.length === 0) break;
        for (const r of oldest) {
          if (over <= 0) break;
          this.stmts.del.run(r.id);
          over -= r.bytes;
          rows++;
          bytes += r.bytes;
        }
      }
    });
    tx();
    // rows dropped from the table must not be published from the cache either
    const left = this.stmts.oldest.all(1) as { id: number }[];
    const firstLeft = left.length ? left[0]!.id : Infinity;
    this.recent = this.recent.filter((r) => r.id >= firstLeft);
    this.rows -= rows;
    this.totalBytes -= bytes;
    if (rows) this.opts.onDrop?.("full", rows, bytes);
  }

  /** Drops rows older than maxAgeSeconds (call periodically). Returns the number dropped. */
  expire(): number {
    const cutoff = this.now() - this.opts.maxAgeSeconds;
    const s = this.stmts.expire.get(cutoff) as { n: number; b: number };
    if (s.n === 0) return 0;
    this.stmts.delOlder.run(cutoff);
    this.recent = this.recent.filter((r) => r.acceptedAt >= cutoff);
    this.rows -= s.n;
    this.totalBytes -= s.b;
    this.opts.onDrop?.("age", s.n, s.b);
    return s.n;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
  }
}

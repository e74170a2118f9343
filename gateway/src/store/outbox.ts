// The durable outbox: a SQLite (WAL) queue of accepted frames. enqueue() resolves only after the
// frame (and its device's new counter state) is committed, which is the moment a frame counts as
// accepted. Writes are group-committed: everything enqueued in one event-loop turn shares a
// transaction. Bounded by bytes and by age; when over a bound the oldest rows are dropped
// (counted by reason through onDrop). Rows are deleted when the broker acknowledges them.
import type { Statement } from "better-sqlite3";
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
  private ackTimer: NodeJS.Timeout | null = null;
  /** Highest row id committed (by this process or found at start). */
  private lastId = 0;
  private static readonly ACK_DELAY_MS = 100;
  private static readonly ACK_BATCH = 1000;
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
  /** Rows per multi-row INSERT (7 parameters each; SQLite allows 32766). */
  private static readonly INSERT_CHUNK = 64;
  private readonly inserts = new Map<number, Statement>();

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
      del: db.prepare("DELETE FROM outbox WHERE id = ?"),
      delRange: db.prepare("DELETE FROM outbox WHERE id BETWEEN ? AND ?"),
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
    const m = db.prepare("SELECT COALESCE(MAX(id), 0) AS id FROM outbox").get() as { id: number };
    this.lastId = m.id;
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

  /**
   * Marks a row published (PUBACK). Deleting it is not urgent (a row still there after a crash is
   * published again: at-least-once, consumers deduplicate by message id), so acknowledged rows
   * are deleted with the next commit of new frames, or ACK_DELAY_MS later, or once ACK_BATCH are
   * waiting: one DELETE transaction per ~100 ms at a trickle instead of one commit per frame.
   */
  ack(id: number, bytes: number): void {
    if (this.closed) return; // published again after the restart
    this.acked.push({ id, bytes });
    if (this.acked.length >= Outbox.ACK_BATCH) this.schedule();
    else if (!this.ackTimer && !this.scheduled) {
      this.ackTimer = setTimeout(() => {
        this.ackTimer = null;
        if (!this.closed) this.flush();
      }, Outbox.ACK_DELAY_MS);
      this.ackTimer.unref();
    }
  }

  next(afterId: number, limit: number): OutboxRow[] {
    // drop cached rows the reader has passed
    let k = 0;
    while (k < this.recent.length && this.recent[k]!.id <= afterId) k++;
    if (k) this.recent.splice(0, k);
    const first = this.recent[0];
    if (first && first.id === afterId + 1) return this.recent.slice(0, limit);
    // nothing committed after afterId: no SELECT (the publisher asks after every PUBACK)
    if (!first && afterId >= this.lastId) return [];
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

  /** A multi-row INSERT of n rows (n <= INSERT_CHUNK), prepared once per size. */
  private insertOf(n: number): Statement {
    let st = this.inserts.get(n);
    if (!st) {
      st = this.db.prepare(
        "INSERT INTO outbox (topic, payload, properties, message_id, received_at, accepted_at, bytes) VALUES " +
          new Array<string>(n).fill("(?, ?, ?, ?, ?, ?, ?)").join(", "),
      );
      this.inserts.set(n, st);
    }
    return st;
  }

  /**
   * Inserts the batch in multi-row INSERTs: one statement per INSERT_CHUNK rows instead of one
   * per row. Rowids of one INSERT are consecutive (one more than the largest ever used: the
   * table is AUTOINCREMENT and this connection is its only writer), so the last rowid names them.
   */
  private insertBatch(batch: Pending[], now: number, ids: number[], sizes: number[]): number {
    let added = 0;
    const args: unknown[] = [];
    for (let start = 0; start < batch.length; start += Outbox.INSERT_CHUNK) {
      const end = Math.min(batch.length, start + Outbox.INSERT_CHUNK);
      args.length = 0;
      for (let i = start; i < end; i++) {
        const e = batch[i]!.entry;
        const props = JSON.stringify(e.properties);
        const size = e.payload.byteLength + e.topic.length + props.length;
        args.push(e.topic, e.payload, props, e.messageId, e.receivedAt, now, size);
        sizes.push(size);
        added += size;
      }
      const last = Number(this.insertOf(end - start).run(args).lastInsertRowid);
      for (let id = last - (end - start) + 1; id <= last; id++) ids.push(id);
    }
    return added;
  }

  /**
   * Deletes acknowledged rows: one DELETE per run of consecutive ids (PUBACKs arrive in publish
   * order, so a flush's acks are mostly one run). Returns false when fewer rows went than were
   * acknowledged (a row dropped by a bound meanwhile, or acknowledged twice across a reconnect):
   * the caller then recounts rows and bytes from the table.
   */
  private deleteAcked(acked: { id: number; bytes: number }[]): {
    rows: number;
    bytes: number;
    exact: boolean;
  } {
    let sorted = true;
    for (let i = 1; i < acked.length; i++)
      if (acked[i]!.id <= acked[i - 1]!.id) {
        sorted = false;
        break;
      }
    const list = sorted ? acked : [...acked].sort((a, b) => a.id - b.id);
    let rows = 0;
    let bytes = 0;
    let exact = true;
    let i = 0;
    while (i < list.length) {
      let j = i;
      let runBytes = list[i]!.bytes;
      while (j + 1 < list.length && list[j + 1]!.id === list[j]!.id + 1)
        runBytes += list[++j]!.bytes;
      if (j + 1 < list.length && list[j + 1]!.id === list[j]!.id) exact = false; // a repeated id
      const changes = this.stmts.delRange.run(list[i]!.id, list[j]!.id).changes;
      if (changes !== j - i + 1) exact = false;
      rows += changes;
      bytes += runBytes;
      i = j + 1;
      while (i < list.length && list[i]!.id === list[j]!.id) i++;
    }
    return { rows, bytes, exact };
  }

  /** Commits pending inserts and acks now (normally called by the scheduler). */
  flush(): void {
    this.scheduled = false;
    if (this.ackTimer) {
      clearTimeout(this.ackTimer);
      this.ackTimer = null;
    }
    const batch = this.pending;
    const acked = this.acked;
    this.pending = [];
    this.acked = [];
    if (batch.length === 0 && acked.length === 0) return;
    const ids: number[] = [];
    const sizes: number[] = [];
    const now = this.now();
    let added = 0;
    let removed = { rows: 0, bytes: 0, exact: true };
    try {
      this.db.transaction(() => {
        if (batch.length) {
          added = this.insertBatch(batch, now, ids, sizes);
          // only the last state of each stream in this batch needs writing
          const last = new Map<string, CounterState>();
          for (const p of batch)
            if (p.entry.counter) last.set(p.entry.counter.stream, p.entry.counter.state);
          this.counters.setMany(last);
        }
        if (acked.length) removed = this.deleteAcked(acked);
      })();
    } catch (e) {
      const err = e as Error;
      for (const p of batch) p.reject(err);
      // acks are retried with the next commit
      this.acked.push(...acked);
      return;
    }
    if (removed.exact) {
      this.rows += batch.length - removed.rows;
      this.totalBytes += added - removed.bytes;
    } else this.maintain("recount", () => this.recount());
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
        acceptedAt: now,
        bytes: sizes[i]!,
      });
    }
    if (this.recent.length > Outbox.RECENT_MAX)
      this.recent.splice(0, this.recent.length - Outbox.RECENT_MAX / 2);
    if (ids.length) this.lastId = ids[ids.length - 1]!;
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(ids[i]!);
    if (batch.length) for (const fn of this.listeners) fn();
  }

  /** Rows and bytes from the table (after a flush whose deletes did not all find their row). */
  private recount(): void {
    const s = this.stmts.stats.get() as { n: number; b: number };
    this.rows = s.n;
    this.totalBytes = s.b;
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

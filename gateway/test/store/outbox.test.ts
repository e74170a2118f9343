// The outbox's batched writes: multi-row inserts hand out the right ids, one counter write per
// stream and flush (the last state), acknowledged runs deleted by range, and its row and byte
// counts stay right when an acknowledged row was already dropped by a bound.
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/database.js";
import { Outbox, type OutboxEntry } from "../../src/store/outbox.js";

const entry = (i: number, stream = "ble:" + (i % 7)): OutboxEntry => ({
  topic: "t/rewards/band/p" + (i % 7) + "/report",
  payload: new Uint8Array([i & 0xff, (i >> 8) & 0xff, 1, 2, 3]),
  properties: { mid: "m" + i },
  messageId: "m" + i,
  receivedAt: 1000 + i,
  counter: { stream, state: { counter: i, window: BigInt(i) } },
});

function open(maxBytes = 1e9) {
  const db = openDatabase(":memory:");
  const drops: number[] = [];
  const ob = new Outbox(db, {
    maxBytes,
    maxAgeSeconds: 1e6,
    onDrop: (_r, rows) => drops.push(rows),
  });
  return { db, ob, drops };
}

async function put(ob: Outbox, from: number, count: number): Promise<number[]> {
  const ps: Promise<number>[] = [];
  for (let i = from; i < from + count; i++) ps.push(ob.enqueue(entry(i)));
  ob.flush();
  return Promise.all(ps);
}

describe("outbox batching", () => {
  it("a flush of 300 rows (several multi-row INSERTs) resolves each enqueue with its own row", async () => {
    const { ob } = open();
    const ids = await put(ob, 0, 300);
    expect(new Set(ids).size).toBe(300);
    const rows = ob.next(0, 1000);
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(rows.map((r) => r.messageId)).toEqual(ids.map((_, i) => "m" + i));
    // the same rows read back from SQLite (not the in-memory cache) after a restart
    const again = new Outbox(ob.db, { maxBytes: 1e9, maxAgeSeconds: 1e6 });
    const fromDb = again.next(0, 1000);
    expect(fromDb.map((r) => [r.id, r.messageId, Buffer.from(r.payload).toString("hex")])).toEqual(
      rows.map((r) => [r.id, r.messageId, Buffer.from(r.payload).toString("hex")]),
    );
    expect(again.depth).toBe(300);
    expect(again.bytes).toBe(ob.bytes);
  });

  it("stores the last counter state of each stream in a batch", async () => {
    const { ob } = open();
    await put(ob, 0, 50);
    for (let s = 0; s < 7; s++) {
      const last = Math.max(...[...Array(50).keys()].filter((i) => i % 7 === s));
      expect(ob.counters.get("ble:" + s)).toEqual({ counter: last, window: BigInt(last) });
    }
  });

  it("deletes acknowledged runs, out of order and repeated, with exact counts", async () => {
    const { ob, db } = open();
    const ids = await put(ob, 0, 100);
    const bytes = ob.next(0, 1000).map((r) => r.bytes);
    const total = ob.bytes;
    // two runs, acknowledged out of order, one id twice
    const acked = [...ids.slice(50, 60), ...ids.slice(0, 10), ids[5]!];
    for (const id of acked) ob.ack(id, bytes[ids.indexOf(id)]!);
    ob.flush();
    const gone = new Set(acked);
    const left = (db.prepare("SELECT id FROM outbox ORDER BY id").all() as { id: number }[]).map(
      (r) => r.id,
    );
    expect(left).toEqual(ids.filter((id) => !gone.has(id)));
    expect(ob.depth).toBe(80);
    const removed = [...gone].reduce((b, id) => b + bytes[ids.indexOf(id)]!, 0);
    expect(ob.bytes).toBe(total - removed);
  });

  it("recounts when an acknowledged row was already dropped (outbox full)", async () => {
    const { ob, drops } = open();
    const ids = await put(ob, 0, 20);
    const rows = ob.next(0, 1000);
    // the bound drops the oldest rows while their publishes are in flight
    (ob as unknown as { opts: { maxBytes: number } }).opts.maxBytes = ob.bytes - 1;
    await put(ob, 20, 1);
    expect(drops.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    for (const r of rows.slice(0, 5)) ob.ack(r.id, r.bytes);
    ob.flush();
    const s = ob.db.prepare("SELECT COUNT(*) AS n, SUM(bytes) AS b FROM outbox").get() as {
      n: number;
      b: number;
    };
    expect(ob.depth).toBe(s.n);
    expect(ob.bytes).toBe(s.b);
    expect(ids.length).toBe(20);
  });

  it("deletes acknowledged rows on its own a little later, with the next commit or at close", async () => {
    const { ob } = open();
    const ids = await put(ob, 0, 3);
    const rows = ob.next(0, 10);
    ob.ack(rows[0]!.id, rows[0]!.bytes);
    expect(ob.depth).toBe(3); // not yet: batched
    await new Promise((r) => setTimeout(r, 250));
    expect(ob.depth).toBe(2);
    ob.ack(rows[1]!.id, rows[1]!.bytes);
    await put(ob, 3, 1); // a commit of new frames takes the pending delete along
    expect(ob.depth).toBe(2);
    ob.ack(rows[2]!.id, rows[2]!.bytes);
    ob.close();
    expect(ob.depth).toBe(1);
    expect(ids.length).toBe(3);
  });
});

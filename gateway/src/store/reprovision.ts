// `keys reprovision <deveui>`: an ABP classroom node got new keys and counts from 1 again, maybe
// with the same DevAddr. Every counter the gateway keeps for it goes (the semtech-udp FCntUp, the
// pipeline's dedup windows of every DevAddr, FCntDown) and its message-id session advances, so
// the new frames are neither replays here nor duplicates for a consumer deduplicating by id.
// One transaction; run while the gateway is stopped (a running one holds the old counters in memory).
import type { Db } from "./database.js";
import {
  loraDownStream,
  loraSessionStream,
  loraStream,
  SqliteFrameCounters,
} from "./frame-counters.js";

export interface Reprovisioned {
  /** Counter rows deleted. */
  rows: number;
  /** The device's new message-id session (1 after the first re-provisioning). */
  session: number;
}

export function reprovisionLora(db: Db, devEui: string): Reprovisioned {
  const eui = devEui.toLowerCase();
  const counters = new SqliteFrameCounters(db); // creates the table on a fresh state file
  const del = db.prepare(
    "DELETE FROM frame_counters WHERE stream IN (?, ?) OR substr(stream, 1, ?) = ?",
  );
  return db.transaction(() => {
    const upPrefix = "up:" + eui + ":";
    const rows = del.run(loraStream(eui), loraDownStream(eui), upPrefix.length, upPrefix).changes;
    const session = (counters.get(loraSessionStream(eui))?.counter ?? 0) + 1;
    counters.set(loraSessionStream(eui), { counter: session, window: 0n });
    return { rows, session };
  })();
}

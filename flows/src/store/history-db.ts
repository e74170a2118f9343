// SQLite file for classroom history (better-sqlite3), so dashboard charts survive a restart.
import Database from "better-sqlite3";
import type { HistoryRow } from "../core/history.js";

export class HistoryDb {
  private db: Database.Database;
  private insertStmt: Database.Statement;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.exec(
      "CREATE TABLE IF NOT EXISTS classroom_reading (" +
        "pseudonym TEXT NOT NULL, time REAL NOT NULL, co2 REAL, temperature REAL, humidity REAL, " +
        "signal TEXT NOT NULL, alerting INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (pseudonym, time))",
    );
    // files from before the alerting column
    const cols = this.db.prepare("PRAGMA table_info(classroom_reading)").all() as {
      name: string;
    }[];
    if (!cols.some((c) => c.name === "alerting"))
      this.db.exec("ALTER TABLE classroom_reading ADD COLUMN alerting INTEGER NOT NULL DEFAULT 0");
    this.insertStmt = this.db.prepare(
      "INSERT OR REPLACE INTO classroom_reading (pseudonym, time, co2, temperature, humidity, signal, alerting) " +
        "VALUES (@pseudonym, @time, @co2Ppm, @temperature, @humidity, @signal, @alerting)",
    );
  }

  insert(rows: HistoryRow[]): void {
    const tx = this.db.transaction((list: HistoryRow[]) => {
      for (const r of list)
        this.insertStmt.run(Object.assign({}, r, { alerting: r.alerting ? 1 : 0 }));
    });
    tx(rows);
  }

  /** Rows with time >= since, oldest first. */
  since(since: number): HistoryRow[] {
    const rows = this.db
      .prepare(
        "SELECT pseudonym, time, co2 AS co2Ppm, temperature, humidity, signal, alerting FROM classroom_reading " +
          "WHERE time >= ? ORDER BY time",
      )
      .all(since) as (Omit<HistoryRow, "alerting"> & { alerting: number })[];
    return rows.map((r) => Object.assign({}, r, { alerting: r.alerting === 1 }));
  }

  /** Deletes rows older than `before`; returns how many. */
  prune(before: number): number {
    return this.db.prepare("DELETE FROM classroom_reading WHERE time < ?").run(before).changes;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

// Persisted uplink frame counters (per DevEUI) so a restart neither accepts a replay nor rejects
// a device. SQLite with WAL (better-sqlite3); the semtech-udp source advances a counter only after
// the pipeline has stored (or definitively rejected) the frame that carried it.
import Database from "better-sqlite3";

export interface FcntState {
  fCnt: number; // last accepted 32-bit FCntUp
  mic: string; // its MIC (hex): a second copy of that frame is recognised, a forgery is not
}

export interface FcntStore {
  last(devEui: string): FcntState | undefined;
  /** Records an accepted counter; never moves a counter backwards. */
  advance(devEui: string, fCnt: number, mic: string): void;
  /** Forgets a device's counter (after re-provisioning its ABP session). */
  reset(devEui: string): void;
}

interface Row {
  fcnt: number;
  mic: string;
}

export class SqliteFcntStore implements FcntStore {
  private readonly getStmt: Database.Statement<[string], Row>;
  private readonly putStmt: Database.Statement<[string, number, string, number]>;
  private readonly delStmt: Database.Statement<[string]>;

  /** Uses an open database (e.g. the gateway's store), creating its table if needed. */
  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS lora_fcnt_up (
      dev_eui TEXT PRIMARY KEY,
      fcnt INTEGER NOT NULL,
      mic TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT`);
    this.getStmt = db.prepare("SELECT fcnt, mic FROM lora_fcnt_up WHERE dev_eui = ?");
    this.putStmt = db.prepare(
      `INSERT INTO lora_fcnt_up (dev_eui, fcnt, mic, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(dev_eui) DO UPDATE SET fcnt = excluded.fcnt, mic = excluded.mic,
         updated_at = excluded.updated_at
       WHERE excluded.fcnt >= lora_fcnt_up.fcnt`,
    );
    this.delStmt = db.prepare("DELETE FROM lora_fcnt_up WHERE dev_eui = ?");
  }

  /** Opens (or creates) a SQLite file of its own in WAL mode. */
  static open(path: string): SqliteFcntStore {
    const db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    return new SqliteFcntStore(db);
  }

  last(devEui: string): FcntState | undefined {
    const row = this.getStmt.get(devEui);
    return row ? { fCnt: row.fcnt, mic: row.mic } : undefined;
  }

  advance(devEui: string, fCnt: number, mic: string): void {
    this.putStmt.run(devEui, fCnt, mic, Date.now());
  }

  reset(devEui: string): void {
    this.delStmt.run(devEui);
  }

  close(): void {
    this.db.close();
  }
}

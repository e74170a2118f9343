// Espruino's require("Storage"), persisted to a JSON file so a device "keeps" its flash across
// simulator runs, with helpers to corrupt it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

function toLatin1(data: unknown): string {
  if (typeof data === "string") return data;
  if (data && typeof (data as ArrayLike<number>).length === "number") {
    const a = data as ArrayLike<number>;
    let s = "";
    for (let i = 0; i < a.length; i++) s += String.fromCharCode(a[i]! & 0xff);
    return s;
  }
  return JSON.stringify(data);
}

export class StorageSim {
  files: Record<string, string> = {};
  /** Flash writes per file name (for the flash-wear bound tests). */
  readonly writes: { t: number; name: string; bytes: number }[] = [];

  constructor(
    private readonly file: string | null,
    private readonly now: () => number,
  ) {
    if (file && existsSync(file)) this.files = JSON.parse(readFileSync(file, "utf8"));
  }

  private persist(): void {
    if (!this.file) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileSync(this.file, JSON.stringify(this.files));
  }

  /** The object the bundle sees as require("Storage"). */
  api(): Record<string, unknown> {
    return {
      read: (name: string) => this.files[name],
      readJSON: (name: string, noExceptions?: boolean) => {
        const v = this.files[name];
        if (v === undefined) return undefined;
        try {
          return JSON.parse(v);
        } catch (e) {
          if (noExceptions) return undefined;
          throw e;
        }
      },
      write: (name: string, data: unknown) => {
        const s = toLatin1(data);
        this.files[name] = s;
        this.writes.push({ t: this.now(), name, bytes: s.length });
        this.persist();
        return true;
      },
      erase: (name: string) => {
        delete this.files[name];
        this.persist();
      },
      list: () => Object.keys(this.files),
    };
  }

  /** Test helper: replace a file's bytes (corrupt, truncated, wrong version). */
  set(name: string, text: string): void {
    this.files[name] = text;
    this.persist();
  }
}

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/database.js";
import { SqliteFrameCounters, loraStream } from "../../src/store/frame-counters.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("frame counter store", () => {
  it("persists 32-bit counters and 64-bit windows across reopen", () => {
    const dir = mkdtempSync(join(tmpdir(), "gw-ctr-"));
    dirs.push(dir);
    const file = join(dir, "state.sqlite");
    let db = openDatabase(file);
    let s = new SqliteFrameCounters(db);
    expect(s.get(loraStream("AA00000000000001"))).toBeUndefined();
    s.set(loraStream("AA00000000000001"), { counter: 0xffffffff, window: 0xffffffffffffffffn });
    s.set("ble:1", { counter: 5, window: 3n });
    db.close();
    db = openDatabase(file);
    s = new SqliteFrameCounters(db);
    expect(s.get("lora:aa00000000000001")).toEqual({
      counter: 0xffffffff,
      window: 0xffffffffffffffffn,
    });
    expect(s.get("ble:1")).toEqual({ counter: 5, window: 3n });
    db.close();
  });
});

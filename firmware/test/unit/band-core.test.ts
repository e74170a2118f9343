import { describe, expect, it } from "vitest";
import { localDay, localDayFromIso, localDayStart } from "@leiden-iot/protocol";
import { applyBeacon, MAX_SLEW_S, restoreClock } from "../../src/band/band-clock.js";
import {
  checksum,
  loadState,
  parseSlot,
  saveState,
  serialiseState,
  SLOTS,
  emptyState,
} from "../../src/band/band-store.js";
import {
  addSteps,
  dayLogOf,
  dayTotals,
  HISTORY_DAYS,
  mergeFutureDays,
  newDayLog,
  stepDelta,
  stepsOn,
} from "../../src/band/step-ledger.js";
import type { FileStore } from "../../src/hal/types.js";

function memStore(): FileStore & { files: Record<string, string> } {
  const files: Record<string, string> = {};
  return {
    files,
    read: (n) => files[n],
    write: (n, d) => {
      files[n] = d;
      return true;
    },
    erase: (n) => {
      delete files[n];
    },
  };
}

describe("stepDelta", () => {
  it("counts forward, across the 16-bit wrap, and after a sensor reset", () => {
    expect(stepDelta(100, 160, 65536, 300)).toEqual({
      steps: 60,
      reset: false,
      implausible: false,
    });
    expect(stepDelta(65500, 40, 65536, 300)).toEqual({
      steps: 76,
      reset: false,
      implausible: false,
    });
    expect(stepDelta(30000, 25, 65536, 300)).toEqual({
      steps: 25,
      reset: true,
      implausible: false,
    });
    expect(stepDelta(null, 500, 65536, 300).steps).toBe(0);
  });
  it("discards impossible jumps as a sensor fault", () => {
    const d = stepDelta(0, 20000, 65536, 300);
    expect(d.implausible).toBe(true);
    expect(d.steps).toBe(0);
  });
});

describe("addSteps", () => {
  const day = localDayFromIso("2026-11-10")!;
  it("starts a new entry each local day and keeps 15 days", () => {
    const log = newDayLog();
    for (let i = 0; i < 20; i++) addSteps(log, localDayStart(day + i) + 3600, 100 + i);
    addSteps(log, localDayStart(day + 19) + 7200, 1);
    const days = dayTotals(log);
    expect(days.length).toBe(HISTORY_DAYS);
    expect(days[0]).toEqual({ day: day + 19, steps: 120 });
    expect(days[14]!.day).toBe(day + 5);
    expect(stepsOn(log, day + 5)).toBe(105);
    expect(stepsOn(log, day + 4)).toBe(0);
  });
  it("drops days older than the history after a gap, and caps a day's steps", () => {
    const log = dayLogOf([
      { day: day, steps: 10 },
      { day: day - 3, steps: 20 },
      { day: day - 20, steps: 30 },
    ]);
    addSteps(log, localDayStart(day + 13) + 60, 250000);
    expect(dayTotals(log)).toEqual([
      { day: day + 13, steps: 200000 },
      { day: day, steps: 10 },
    ]);
  });
  it("files steps after a backwards clock jump under the newest day", () => {
    const log = dayLogOf([{ day: day, steps: 10 }]);
    addSteps(log, localDayStart(day - 2), 5);
    expect(dayTotals(log)).toEqual([{ day: day, steps: 15 }]);
  });
  it("mergeFutureDays moves steps dated after today onto today", () => {
    const log = dayLogOf([
      { day: day + 9, steps: 40 },
      { day: day + 2, steps: 2 },
      { day: day - 1, steps: 7 },
    ]);
    mergeFutureDays(log, day);
    expect(dayTotals(log)).toEqual([
      { day: day, steps: 42 },
      { day: day - 1, steps: 7 },
    ]);
    const same = dayLogOf([{ day: day, steps: 5 }]);
    mergeFutureDays(same, day);
    expect(dayTotals(same)).toEqual([{ day: day, steps: 5 }]);
  });
});

describe("band state slots", () => {
  it("round-trips and picks the newest valid slot", () => {
    const s = memStore();
    const st = emptyState();
    st.days = dayLogOf([{ day: 2500, steps: 1234 }]);
    st.counterCeil = 4096;
    saveState(s, st);
    st.days = dayLogOf([{ day: 2500, steps: 2000 }]);
    saveState(s, st);
    const r = loadState(s);
    expect(r.fault).toBe(false);
    expect(dayTotals(r.state.days)).toEqual([{ day: 2500, steps: 2000 }]);
    // Corrupt the newest slot: the older one is used and the fault reported.
    s.files[SLOTS[st.seq % 2]!] = s.files[SLOTS[st.seq % 2]!]!.substring(0, 20);
    const r2 = loadState(s);
    expect(r2.fault).toBe(true);
    expect(dayTotals(r2.state.days)).toEqual([{ day: 2500, steps: 1234 }]);
  });
  it("refuses bad checksums, wrong versions and out-of-range days", () => {
    const good = serialiseState({ ...emptyState(), days: dayLogOf([{ day: 2500, steps: 1 }]) });
    expect(parseSlot(good)).not.toBeNull();
    expect(parseSlot(good.replace('"steps":1', '"steps":2'))).toBeNull(); // checksum
    const v2 = good.substring(good.indexOf("|") + 1).replace('"v":1', '"v":2');
    expect(parseSlot(checksum(v2).toString(16) + "|" + v2)).toBeNull(); // version
    const bad = serialiseState({ ...emptyState(), days: dayLogOf([{ day: 2500, steps: 999999 }]) });
    expect(parseSlot(bad)).toBeNull();
    expect(parseSlot(undefined)).toBeNull();
  });
  it("writes the JSON that JSON.stringify of the state writes (older slots read the same)", () => {
    const days = [
      { day: 2500, steps: 4321 },
      { day: 2498, steps: 0 },
    ];
    const st = { ...emptyState(), seq: 9, days: dayLogOf(days), counterCeil: 5120, goalDay: 2499 };
    st.time = 1794268800.75;
    st.syncedAt = 1794268000.5;
    const text = serialiseState(st);
    const body = JSON.stringify({
      v: 1,
      seq: 9,
      days: days,
      ctr: 5120,
      time: 1794268800,
      goal: 2499,
      sync: 1794268000,
    });
    expect(text).toBe(checksum(body).toString(16) + "|" + body);
    expect(dayTotals(parseSlot(text)!.days)).toEqual(days);
  });
});

describe("band clock", () => {
  const t = 1794268800;
  it("restores the persisted time after power loss and raises the flag", () => {
    expect(restoreClock(12, t, 1767225600)).toEqual({ setTo: t, clockNotSet: true });
    expect(restoreClock(12, 0, 1767225600)).toEqual({ setTo: 1767225600, clockNotSet: true });
    expect(restoreClock(t + 50, t, 1767225600)).toEqual({ setTo: null, clockNotSet: false });
  });
  it("slews a set clock by at most MAX_SLEW_S per beacon, takes any newer time when unset", () => {
    expect(applyBeacon(t, t + 3600, false, t).setTo).toBe(t + MAX_SLEW_S);
    expect(applyBeacon(t, t - 3600, false, t).setTo).toBe(t - MAX_SLEW_S);
    expect(applyBeacon(t, t + 30, false, t).setTo).toBe(t + 30);
    expect(applyBeacon(t, t + 86400 * 3, true, t).setTo).toBe(t + 86400 * 3);
    // A replayed old beacon cannot drag an unset clock back before the last known time.
    expect(applyBeacon(t, t - 86400, true, t)).toEqual({ setTo: null, clockNotSet: true });
    expect(localDay(t)).toBeGreaterThan(0);
  });
});

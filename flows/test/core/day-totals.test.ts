import { describe, expect, it } from "vitest";
import { localDayFromIso, localDayIso, localDayStart } from "@leiden-iot/protocol";
import {
  applyReport,
  closeDays,
  emptyParticipant,
  MIN_KEEP_DAYS,
  type BandReportIn,
} from "../../src/core/day-totals.js";

const P = "59cc44d2-a9bc-844c-93b7-a392bd9b5cb1";
const start = (iso: string) => localDayStart(localDayFromIso(iso)!);
const opts = { graceSeconds: 3600, keepDays: 40, keepMessageIds: 500 };
function report(mid: string, at: number, days: BandReportIn["days"], counter = 1): BandReportIn {
  return { pseudonym: P, messageId: mid, receivedAt: at, counter, days };
}

describe("daily step totals", () => {
  it("keeps the latest value of an open day and emits nothing until it closes", () => {
    const noon = start("2026-03-10") + 12 * 3600;
    let r = applyReport(
      emptyParticipant(),
      report("m1", noon, [{ date: "2026-03-10", steps: 100, final: false }]),
      noon,
      opts,
    );
    expect(r.totals).toEqual([]);
    expect(r.updates).toHaveLength(1);
    r = applyReport(
      r.state,
      report("m2", noon + 60, [{ date: "2026-03-10", steps: 250, final: false }], 2),
      noon + 60,
      opts,
    );
    // an older report arriving late does not win
    r = applyReport(
      r.state,
      report("m0", noon - 60, [{ date: "2026-03-10", steps: 50, final: false }], 0),
      noon + 90,
      opts,
    );
    expect(r.state.days["2026-03-10"]!.steps).toBe(250);
    const closeAt = start("2026-03-11") + 3600;
    expect(closeDays(P, r.state, closeAt - 1, opts).totals).toEqual([]);
    const c = closeDays(P, r.state, closeAt, opts);
    expect(c.totals).toEqual([
      {
        pseudonym: P,
        date: "2026-03-10",
        steps: 250,
        revision: 1,
        final: false,
        previousSteps: null,
        receivedAt: noon + 60,
      },
    ]);
    expect(closeDays(P, c.state, closeAt + 100, opts).totals).toEqual([]);
  });

  it("a late backlog day corrects an emitted day with the next revision", () => {
    const d1 = start("2026-03-10") + 20 * 3600;
    const later = start("2026-03-12") + 9 * 3600;
    let r = applyReport(
      emptyParticipant(),
      report("m1", d1, [{ date: "2026-03-10", steps: 4000, final: false }]),
      later,
      opts,
    );
    expect(r.totals.map((t) => [t.date, t.steps, t.revision])).toEqual([["2026-03-10", 4000, 1]]);
    r = applyReport(
      r.state,
      report(
        "m2",
        later,
        [
          { date: "2026-03-12", steps: 300, final: false },
          { date: "2026-03-10", steps: 4700, final: true },
        ],
        2,
      ),
      later,
      opts,
    );
    expect(r.totals).toEqual([
      {
        pseudonym: P,
        date: "2026-03-10",
        steps: 4700,
        revision: 2,
        final: true,
        previousSteps: 4000,
        receivedAt: later,
      },
    ]);
    // a stale non-final report for the finished day changes nothing
    r = applyReport(
      r.state,
      report("m3", later + 10, [{ date: "2026-03-10", steps: 1, final: false }], 3),
      later + 10,
      opts,
    );
    expect(r.totals).toEqual([]);
    expect(r.state.days["2026-03-10"]!.steps).toBe(4700);
  });

  it("ignores a message id seen before", () => {
    const at = start("2026-03-10") + 3600;
    const r1 = applyReport(
      emptyParticipant(),
      report("dup", at, [{ date: "2026-03-10", steps: 10, final: false }]),
      at,
      opts,
    );
    const r2 = applyReport(
      r1.state,
      report("dup", at + 5, [{ date: "2026-03-10", steps: 99, final: false }]),
      at + 5,
      opts,
    );
    expect(r2.duplicate).toBe(true);
    expect(r2.state.days["2026-03-10"]!.steps).toBe(10);
  });

  it("closes days at local midnight across daylight saving time", () => {
    // 2026-03-29: clocks go forward in Amsterdam; local midnight of 03-30 is 22:00 UTC on 03-29
    const s = applyReport(
      emptyParticipant(),
      report("a", start("2026-03-29") + 3600, [{ date: "2026-03-29", steps: 5, final: false }]),
      start("2026-03-29") + 3600,
      { ...opts, graceSeconds: 0 },
    );
    const midnight = Date.UTC(2026, 2, 29, 22, 0, 0) / 1000;
    expect(closeDays(P, s.state, midnight - 1, { ...opts, graceSeconds: 0 }).totals).toHaveLength(
      0,
    );
    expect(closeDays(P, s.state, midnight, { ...opts, graceSeconds: 0 }).totals).toHaveLength(1);
  });

  it("keeps days by age (at least 16) and a bounded number of message ids", () => {
    let s = emptyParticipant();
    const now = start("2026-01-31") + 12 * 3600;
    for (let i = 0; i < 10; i++) {
      const date = "2026-01-" + String(i + 10);
      s = applyReport(s, report("m" + i, now, [{ date, steps: i, final: true }], i), now, {
        graceSeconds: 0,
        keepDays: 3,
        keepMessageIds: 4,
      }).state;
    }
    // keepDays 3 is raised to 16: the oldest day kept on 2026-01-31 is 2026-01-16
    expect(MIN_KEEP_DAYS).toBe(16);
    expect(Object.keys(s.days).sort()).toEqual([
      "2026-01-16",
      "2026-01-17",
      "2026-01-18",
      "2026-01-19",
    ]);
    expect(s.seen).toEqual(["m6", "m7", "m8", "m9"]);
  });

  it("with the minimum keepDays, repeated backlog reports never re-send a day already sent", () => {
    const o = { graceSeconds: 3600, keepDays: MIN_KEEP_DAYS, keepMessageIds: 500 };
    let s = emptyParticipant();
    const sent = new Set<string>();
    let mid = 0;
    const today0 = localDayFromIso("2026-03-01")!;
    // 40 days; every report carries today plus the band's full 14-day backlog (final)
    for (let k = 0; k < 40; k++) {
      const day = today0 + k;
      for (const hour of [1, 9, 18]) {
        const now = localDayStart(day) + hour * 3600;
        const days = [{ date: localDayIso(day), steps: 100 * hour, final: false }];
        for (let b = 1; b <= 14; b++)
          days.push({ date: localDayIso(day - b), steps: 1000 + day - b, final: true });
        // and one day far beyond the horizon (an old value still in a band's memory)
        days.push({ date: localDayIso(day - 30), steps: 5, final: true });
        const r = applyReport(s, { ...report("m" + mid++, now, days), counter: mid }, now, o);
        s = r.state;
        for (const t of r.totals) {
          const key = t.date + ":r" + t.revision;
          expect(sent.has(key), "re-sent " + key).toBe(false);
          sent.add(key);
          expect(t.revision).toBe(1);
        }
        expect(r.ignored.map((i) => i.reason)).toContain("old");
        s = closeDays(P, s, now + 1800, o).state;
      }
    }
    expect(Object.keys(s.days).length).toBeLessThanOrEqual(MIN_KEEP_DAYS);
  });

  it("a far-future day (clock not set) does not push real days out", () => {
    const o = { graceSeconds: 0, keepDays: MIN_KEEP_DAYS, keepMessageIds: 500 };
    const now = start("2026-03-20") + 12 * 3600;
    let r = applyReport(
      emptyParticipant(),
      report("a", now, [
        { date: "2026-03-19", steps: 4000, final: true },
        { date: "2026-03-20", steps: 100, final: false },
      ]),
      now,
      o,
    );
    expect(r.totals.map((t) => t.date)).toEqual(["2026-03-19"]);
    r = applyReport(
      r.state,
      report("b", now + 60, [{ date: "2099-12-31", steps: 7, final: true }], 2),
      now + 60,
      o,
    );
    expect(r.ignored).toEqual([{ date: "2099-12-31", reason: "future" }]);
    expect(r.totals).toEqual([]);
    expect(Object.keys(r.state.days).sort()).toEqual(["2026-03-19", "2026-03-20"]);
    // the real day is still known: a repeat of it is not sent again
    r = applyReport(
      r.state,
      report("c", now + 120, [{ date: "2026-03-19", steps: 4000, final: true }], 3),
      now + 120,
      o,
    );
    expect(r.totals).toEqual([]);
  });
});

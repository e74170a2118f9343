import { describe, expect, it } from "vitest";
import { localDayFromIso, localDayStart } from "@leiden-iot/protocol";
import {
  MIN_GROUP,
  PUBLISH_INTERVAL,
  aggregateDay,
  duePublications,
  effectiveMinGroup,
  emptySummary,
  recordTotal,
  type StepsAggregate,
} from "../../src/core/aggregates.js";

const start = (iso: string) => localDayStart(localDayFromIso(iso)!);
const DATE = "2026-03-10";
const afterClose = start("2026-03-11") + 3600;
const opts = { minGroup: 5, holdSeconds: 600, keepDays: 14 };
// steps that are never a multiple of 100, so only an unrounded value could equal one of them
const people = ["p1", "p2", "p3", "p4", "p5", "p6", "p7"];
const stepsOf = (i: number) => 3017 + 1237 * i + (i % 3) * 11;

describe("organisation aggregates (privacy)", () => {
  it("never lets the configured group go below 5", () => {
    expect(effectiveMinGroup(1)).toBe(MIN_GROUP);
    expect(effectiveMinGroup(0)).toBe(MIN_GROUP);
    expect(effectiveMinGroup(Number.NaN)).toBe(MIN_GROUP);
    expect(effectiveMinGroup(8)).toBe(8);
  });

  it("below 5 publishes neither the median nor the number of participants", () => {
    for (let n = 0; n < 5; n++) {
      const day: Record<string, number> = {};
      for (let i = 0; i < n; i++) day[people[i]!] = stepsOf(i);
      expect(aggregateDay(DATE, day, 1)).toEqual({ date: DATE, suppressed: true });
    }
  });

  it("adding one participant's report does not reveal that participant's count", () => {
    // every group of 5 or 6, with the newcomer at every position of the order
    for (let n = 5; n <= 6; n++)
      for (let newcomer = 0; newcomer < 7; newcomer++) {
        const day: Record<string, number> = {};
        const others = people.filter((_, i) => i !== newcomer).slice(0, n - 1);
        others.forEach((p) => (day[p] = stepsOf(people.indexOf(p))));
        const without = aggregateDay(DATE, day, 5);
        day[people[newcomer]!] = stepsOf(newcomer);
        const withIt = aggregateDay(DATE, day, 5) as Extract<StepsAggregate, { suppressed: false }>;
        expect(withIt.suppressed).toBe(false);
        expect(withIt.medianSteps % 100).toBe(0);
        for (const p of Object.keys(day)) expect(withIt.medianSteps).not.toBe(day[p]);
        if (n === 5) expect(without).toEqual({ date: DATE, suppressed: true });
      }
  });

  it("publishes a date once after its day is over and the hold time, then at most once a day", () => {
    const s = emptySummary();
    const t0 = afterClose;
    // four totals: only "too few", once
    for (let i = 0; i < 4; i++)
      recordTotal(s, { pseudonym: people[i]!, date: DATE, steps: stepsOf(i), revision: 1 }, t0, 14);
    expect(duePublications(s, t0, opts)).toEqual([{ date: DATE, suppressed: true }]);
    expect(duePublications(s, t0 + 60, opts)).toEqual([]);
    // the fifth: nothing on its own until the hold time has passed since the first total
    recordTotal(s, { pseudonym: "p5", date: DATE, steps: stepsOf(4), revision: 1 }, t0 + 120, 14);
    expect(duePublications(s, t0 + 300, opts)).toEqual([]);
    const first = duePublications(s, t0 + 600, opts);
    expect(first).toEqual([
      { date: DATE, participantsActive: 5, medianSteps: expect.any(Number), suppressed: false },
    ]);
    // a sixth participant and a correction: nothing until a day after the last publication
    recordTotal(s, { pseudonym: "p6", date: DATE, steps: stepsOf(5), revision: 1 }, t0 + 700, 14);
    recordTotal(s, { pseudonym: "p1", date: DATE, steps: 99999, revision: 2 }, t0 + 800, 14);
    for (let t = t0 + 700; t < t0 + 600 + PUBLISH_INTERVAL; t += 3600)
      expect(duePublications(s, t, opts)).toEqual([]);
    const second = duePublications(s, t0 + 600 + PUBLISH_INTERVAL, opts);
    expect(second).toEqual([
      { date: DATE, participantsActive: 6, medianSteps: expect.any(Number), suppressed: false },
    ]);
    expect(duePublications(s, t0 + 600 + 2 * PUBLISH_INTERVAL, opts)).toEqual([]);
    // an older revision is ignored
    expect(
      recordTotal(s, { pseudonym: "p1", date: DATE, steps: 1, revision: 1 }, t0 + 900, 14),
    ).toBe(false);
  });

  it("does not publish a day that is not over, and drops dates older than keepDays", () => {
    const s = emptySummary();
    const noon = start(DATE) + 12 * 3600;
    for (let i = 0; i < 5; i++)
      recordTotal(
        s,
        { pseudonym: people[i]!, date: DATE, steps: stepsOf(i), revision: 1 },
        noon,
        14,
      );
    expect(duePublications(s, noon + 3600, { ...opts, holdSeconds: 0 })).toEqual([]);
    const later = start("2026-04-10");
    expect(duePublications(s, later, opts)).toEqual([]);
    expect(s.days).toEqual({});
    expect(recordTotal(s, { pseudonym: "p1", date: DATE, steps: 1, revision: 3 }, later, 14)).toBe(
      false,
    );
  });
});

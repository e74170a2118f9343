// Europe/Amsterdam local days, checked against Node's ICU time-zone database.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  amsterdamOffset,
  localDay,
  localDayFromIso,
  localDayIso,
  localDayStart,
} from "@leiden-iot/protocol";

const fmt = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Amsterdam",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  hourCycle: "h23",
});
function icu(unix: number): { date: string; offset: number } {
  const p = Object.fromEntries(
    fmt.formatToParts(new Date(unix * 1000)).map((x) => [x.type, x.value]),
  );
  const date = `${p.year}-${p.month}-${p.day}`;
  const localHour = Number(p.hour);
  const utcHour = new Date(unix * 1000).getUTCHours();
  return { date, offset: ((localHour - utcHour + 24) % 24) * 3600 };
}

describe("Europe/Amsterdam local time", () => {
  it("matches ICU for random instants 2020-2100 (5k)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1577836800, max: 4102444800 }), (t) => {
        const ref = icu(t);
        expect(amsterdamOffset(t)).toBe(ref.offset);
        expect(localDayIso(localDay(t))).toBe(ref.date);
      }),
      { numRuns: 5000 },
    );
  });
  it("switches exactly at 01:00 UTC on the last Sundays of March and October", () => {
    const spring = Date.UTC(2027, 2, 28, 1, 0, 0) / 1000; // 2027-03-28 is the last Sunday of March
    expect(amsterdamOffset(spring - 1)).toBe(3600);
    expect(amsterdamOffset(spring)).toBe(7200);
    const autumn = Date.UTC(2026, 9, 25, 1, 0, 0) / 1000; // 2026-10-25
    expect(amsterdamOffset(autumn - 1)).toBe(7200);
    expect(amsterdamOffset(autumn)).toBe(3600);
  });
  it("starts a local day at local midnight, also on 23- and 25-hour days", () => {
    const spring = localDayFromIso("2027-03-28")!;
    expect(localDayStart(spring + 1) - localDayStart(spring)).toBe(23 * 3600);
    const autumn = localDayFromIso("2026-10-25")!;
    expect(localDayStart(autumn + 1) - localDayStart(autumn)).toBe(25 * 3600);
    for (const d of [spring, autumn, localDayFromIso("2026-11-23")!]) {
      expect(localDay(localDayStart(d))).toBe(d);
      expect(localDay(localDayStart(d) - 1)).toBe(d - 1);
    }
  });
  it("round-trips ISO dates and rejects impossible ones", () => {
    expect(localDayFromIso("2020-01-01")).toBe(0);
    expect(localDayIso(localDayFromIso("2028-02-29")!)).toBe("2028-02-29");
    expect(localDayFromIso("2027-02-29")).toBeNull();
    expect(localDayFromIso("2027-13-01")).toBeNull();
    expect(localDayFromIso("yesterday")).toBeNull();
  });
});

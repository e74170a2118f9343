import { describe, expect, it } from "vitest";
import {
  afterAttempt,
  checkDayTotal,
  classify,
  enqueue,
  idempotencyKey,
  msUntilDue,
  nextDue,
  retryDelay,
} from "../../src/core/rewards-queue.js";
import { aggregateDay, median } from "../../src/core/aggregates.js";
import { downsample, snapshot } from "../../src/core/history.js";

const total = (revision: number, steps = 100) => ({
  pseudonym: "abc-1",
  date: "2026-03-10",
  revision,
  steps,
});

describe("rewards queue", () => {
  it("keys are pseudonym, date and revision", () => {
    expect(idempotencyKey(total(2))).toBe("abc-1:2026-03-10:r2");
  });
  it("a newer revision replaces a waiting older one; an older one is ignored", () => {
    let q = enqueue([], total(1), 0);
    q = enqueue(q, total(2, 150), 0);
    expect(q.map((i) => i.key)).toEqual(["abc-1:2026-03-10:r2"]);
    expect(enqueue(q, total(1), 0)).toBe(q);
    expect(q[0]!.body).toEqual({
      pseudonym: "abc-1",
      date: "2026-03-10",
      steps: 150,
      revision: 2,
      final: false,
    });
  });
  it("classifies answers", () => {
    expect(classify(201, null).kind).toBe("accepted");
    // Idempotency-Key draft: 409 = a request with this key is still in progress -> retry later
    expect(classify(409, null, "2")).toEqual({
      kind: "retry",
      reason: "HTTP 409",
      retryAfterMs: 2000,
    });
    expect(classify(200, null).kind).toBe("accepted"); // a replay of a key the API already has
    expect(classify(503, null, "7")).toEqual({
      kind: "retry",
      reason: "HTTP 503",
      retryAfterMs: 7000,
    });
    expect(classify(429, null).kind).toBe("retry");
    expect(classify(null, "ECONNREFUSED")).toMatchObject({ kind: "retry", reason: "ECONNREFUSED" });
    expect(classify(400, null)).toEqual({ kind: "refused", reason: "HTTP 400" });
    // key reused with a different body: surfaces as a refusal
    expect(classify(422, null)).toEqual({ kind: "refused", reason: "HTTP 422" });
  });
  it("backs off exponentially up to the maximum and drops accepted or refused items", () => {
    const b = { baseMs: 1000, maxMs: 8000 };
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelay(a, b, 1))).toEqual([
      1000, 2000, 4000, 8000, 8000, 8000,
    ]);
    // full jitter: the lowest draw is the base delay, whatever the attempt
    expect(retryDelay(3, b, 0)).toBe(1000);
    expect(retryDelay(3, b, 0.5)).toBe(2500);
    let q = enqueue([], total(1), 0);
    q = afterAttempt(
      q,
      q[0]!.key,
      { kind: "retry", reason: "HTTP 503", retryAfterMs: null },
      100,
      b,
      1,
    );
    expect(q[0]).toMatchObject({ attempts: 1, notBefore: 1100, lastError: "HTTP 503" });
    expect(nextDue(q, 1099)).toBeNull();
    expect(msUntilDue(q, 600)).toBe(500);
    expect(nextDue(q, 1100)!.key).toBe(q[0]!.key);
    expect(afterAttempt(q, q[0]!.key, { kind: "refused", reason: "HTTP 400" }, 0, b, 1)).toEqual(
      [],
    );
  });
  it("checks day totals", () => {
    expect(checkDayTotal(total(1))).toBeNull();
    expect(checkDayTotal({ ...total(1), revision: 0 })).toMatch(/revision/);
    expect(checkDayTotal({ ...total(1), date: "10-03-2026" })).toMatch(/date/);
    expect(checkDayTotal("x")).toMatch(/object/);
  });
});

describe("aggregates and history", () => {
  it("median and suppression for small groups", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(median([])).toBeNull();
    // a configured group below 5 is raised to 5; zero steps is not active
    expect(aggregateDay("d", { a: 100, b: 0, c: 300, e: 1234, f: 5678, g: 90 }, 2)).toEqual({
      date: "d",
      participantsActive: 5,
      medianSteps: 300,
      suppressed: false,
    });
    expect(aggregateDay("d", { a: 100, b: 200 }, 5)).toEqual({ date: "d", suppressed: true });
  });
  it("downsamples CO2 into buckets and snapshots each classroom", () => {
    const rows = [
      { pseudonym: "b", time: 610, co2Ppm: 800, temperature: 20, humidity: 40, signal: "green" },
      { pseudonym: "a", time: 0, co2Ppm: 400, temperature: 20, humidity: 40, signal: "green" },
      { pseudonym: "a", time: 299, co2Ppm: 600, temperature: 21, humidity: 41, signal: "green" },
      { pseudonym: "a", time: 300, co2Ppm: 1300, temperature: 22, humidity: 42, signal: "red" },
    ];
    expect(
      downsample(
        rows.filter((r) => r.pseudonym === "a"),
        300,
      ),
    ).toEqual([
      [0, 500],
      [300, 1300],
    ]);
    const s = snapshot(rows, { b: "Groep 3" }, 300);
    expect(s.map((c) => [c.name, c.signal, c.co2Ppm])).toEqual([
      ["Groep 3", "green", 800],
      ["Lokaal a", "red", 1300],
    ]);
  });
});

// Several gateways hearing the same band (issue 12): each copy of a frame has the same message id
// (so all but the first are duplicates), but the copies reach Node-RED in any order, some late
// (a gateway's outage buffer), each stamped with its own gateway's clock. The day totals must be
// those a single gateway hearing every frame in order gives: a function of the band's frame
// counter and day, never of arrival order or of which gateway's clock stamped a copy.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { localDay, localDayFromIso, localDayIso, localDayStart } from "@leiden-iot/protocol";
import {
  applyReport,
  closeDays,
  emptyParticipant,
  type BandReportIn,
  type DayTotal,
  type ParticipantState,
} from "../../src/core/day-totals.js";

const P = "59cc44d2-a9bc-844c-93b7-a392bd9b5cb1";
const opts = { graceSeconds: 3600, keepDays: 40, keepMessageIds: 500 };
// Three days across the spring DST change (2026-03-29)
const FIRST = localDayFromIso("2026-03-27")!;
const LAST = FIRST + 2;
/** The band rebuilds its 15-frame rotation every 20 minutes: today + 14 backlog days. */
const REBUILD_S = 1200;
const ROTATION = 15;

/** Steps of local day `day` at unix time `t` (rising through the day). */
function stepsAt(day: number, t: number): number {
  return Math.floor((t - localDayStart(day)) / 60) * 7 + (day % 5);
}
const finalSteps = (day: number) => stepsAt(day, localDayStart(day + 1) - 1);

interface Frame {
  /** When the band put it on air (it stays on air until the next rebuild). */
  at: number;
  report: Omit<BandReportIn, "receivedAt">;
}

/** Every frame the band puts on air while it is in range: school hours, 08:00-16:00 local. */
function bandFrames(): Frame[] {
  const frames: Frame[] = [];
  let counter = 1000;
  for (let t = localDayStart(FIRST); t < localDayStart(LAST + 1); t += REBUILD_S) {
    const today = localDay(t);
    const inRange =
      t >= localDayStart(today) + 8 * 3600 && t + REBUILD_S <= localDayStart(today) + 16 * 3600;
    for (let k = 0; k < ROTATION; k++) {
      counter += 1;
      if (!inRange) continue;
      const days = [{ date: localDayIso(today), steps: stepsAt(today, t), final: false }];
      if (k > 0)
        days.push({ date: localDayIso(today - k), steps: finalSteps(today - k), final: true });
      frames.push({
        at: t,
        report: { pseudonym: P, messageId: P + "/b/" + counter, counter, days },
      });
    }
  }
  return frames;
}

interface Copy {
  /** When Node-RED gets it. */
  arrival: number;
  report: BandReportIn;
}

/** Feeds copies in arrival order, closing days every 10 minutes as the node's timer does. */
function run(copies: Copy[]): DayTotal[] {
  const sorted = [...copies].sort((a, b) => a.arrival - b.arrival);
  let s: ParticipantState = emptyParticipant();
  const sent: DayTotal[] = [];
  let tick = sorted[0]!.arrival;
  for (const c of sorted) {
    for (; tick <= c.arrival; tick += 600) {
      const r = closeDays(P, s, tick, opts);
      s = r.state;
      sent.push(...r.totals);
    }
    const r = applyReport(s, c.report, c.arrival, opts);
    s = r.state;
    sent.push(...r.totals);
  }
  const end = localDayStart(LAST + 1) + 6 * 3600;
  for (; tick <= end; tick += 600) {
    const r = closeDays(P, s, tick, opts);
    s = r.state;
    sent.push(...r.totals);
  }
  return sent;
}

function singleGateway(frames: Frame[]): Copy[] {
  return frames.map((f, i) => {
    const heard = f.at + 1 + (i % ROTATION);
    return { arrival: heard + 0.2, report: { ...f.report, receivedAt: heard } };
  });
}

interface Gateway {
  /** Its clock minus the true time, s. */
  skew: number;
  /** MQTT path delay, s. */
  delay: number;
  /** An outage: what it hears in [start, start + length) reaches Node-RED at its end. */
  outage: { start: number; length: number } | null;
}

/** Pseudo-random numbers in [0, 1) from a seed (the frames are too many for one arbitrary each). */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

/**
 * The band moves between classrooms: each rotation is heard by the gateway of the room it is in
 * (it stays in the room with probability 1/2 per rotation) and by each other gateway with
 * probability 0.15, at any time while the rotation is on air.
 */
function severalGateways(frames: Frame[], gateways: Gateway[], seed: number): Copy[] {
  const rnd = random(seed);
  const t0 = localDayStart(FIRST);
  const copies: Copy[] = [];
  let room = 0;
  let rotation = -1;
  for (const f of frames) {
    if (f.at !== rotation) {
      rotation = f.at;
      if (rnd() < 0.5) room = Math.floor(rnd() * gateways.length);
    }
    gateways.forEach((g, i) => {
      if (i !== room && rnd() >= 0.15) return;
      const heard = f.at + rnd() * REBUILD_S;
      let arrival = heard + g.delay;
      if (g.outage) {
        const from = t0 + g.outage.start;
        if (heard >= from && heard < from + g.outage.length) arrival = from + g.outage.length;
      }
      copies.push({ arrival, report: { ...f.report, receivedAt: heard + g.skew } });
    });
  }
  return copies;
}

const gatewayArb: fc.Arbitrary<Gateway> = fc.record({
  // NTP-synced (seconds off) or, after a reboot without RTC, fake-hwclock's last saved time
  skew: fc.oneof(fc.integer({ min: -900, max: 900 }), fc.integer({ min: -6 * 3600, max: -600 })),
  delay: fc.double({ min: 0.01, max: 5, noNaN: true }),
  outage: fc.option(
    fc.record({
      start: fc.integer({ min: 0, max: 3 * 86400 }),
      length: fc.integer({ min: 60, max: 3 * 3600 }),
    }),
  ),
});

/** What the rewards back end gets, in a comparable order. */
const summary = (sent: DayTotal[]) =>
  sent
    .map((t) => ({ date: t.date, revision: t.revision, steps: t.steps, final: t.final }))
    .sort((a, b) => a.date.localeCompare(b.date) || a.revision - b.revision);

describe("daily step totals with several gateways", () => {
  const frames = bandFrames();
  const reference = summary(run(singleGateway(frames)));

  it("one gateway: the band's values, each school day first at close, then final from the backlog", () => {
    const lastRotation = (d: number) => stepsAt(d, localDayStart(d) + 16 * 3600 - REBUILD_S);
    const expected = [];
    for (let d = FIRST - 14; d < FIRST; d++)
      expected.push({ date: localDayIso(d), revision: 1, steps: finalSteps(d), final: true });
    for (let d = FIRST; d < LAST; d++)
      expected.push(
        { date: localDayIso(d), revision: 1, steps: lastRotation(d), final: false },
        { date: localDayIso(d), revision: 2, steps: finalSteps(d), final: true },
      );
    expected.push({
      date: localDayIso(LAST),
      revision: 1,
      steps: lastRotation(LAST),
      final: false,
    });
    expect(reference).toEqual(expected);
  });

  it("interleaved, late and skewed copies from 2-4 gateways give the single gateway's totals", () => {
    fc.assert(
      fc.property(
        fc.array(gatewayArb, { minLength: 2, maxLength: 4 }),
        fc.integer(),
        (gateways, seed) => {
          expect(summary(run(severalGateways(frames, gateways, seed)))).toEqual(reference);
        },
      ),
      { numRuns: 10 },
    );
  });

  it("a copy of an older rotation stamped later by a gateway whose clock is fast loses", () => {
    // gateway B (clock 10 min fast) hears the 15:20 rotation at 15:39; gateway A the 15:40 one
    const last = frames.filter((f) => f.report.days[0]!.date === localDayIso(LAST));
    const final = last.filter((f) => f.at === last[last.length - 1]!.at);
    const before = last.filter((f) => f.at === final[0]!.at - REBUILD_S);
    const copies: Copy[] = [
      ...before.map((f) => ({
        arrival: f.at + 1140,
        report: { ...f.report, receivedAt: f.at + 1140 + 600 },
      })),
      ...final.map((f) => ({ arrival: f.at + 30, report: { ...f.report, receivedAt: f.at + 30 } })),
    ];
    const sent = run(copies).filter((t) => t.date === localDayIso(LAST));
    expect(sent.map((t) => t.steps)).toEqual([stepsAt(LAST, final[0]!.at)]);
  });
});

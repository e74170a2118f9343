import { afterEach, describe, expect, it } from "vitest";
import { localDay, localDayIso } from "@leiden-iot/protocol";
import dailyStepsNode from "../../src/nodes/daily-steps.js";
import summaryNode from "../../src/nodes/steps-summary.js";
import { collect, helper, until } from "../support/red-helper.js";

const P = "59cc44d2-a9bc-844c-93b7-a392bd9b5cb1";
const now = Date.now() / 1000;
const today = localDay(now);
const iso = (d: number) => localDayIso(d);
const flow = [
  {
    id: "d",
    type: "liot-daily-steps",
    graceMinutes: "0",
    tickSeconds: "3600",
    wires: [["totals", "sum"], ["live"]],
  },
  { id: "totals", type: "helper" },
  { id: "live", type: "helper" },
  // minGroup 2 is raised to 5 by the node
  {
    id: "sum",
    type: "liot-steps-summary",
    minGroup: "2",
    holdMinutes: "0",
    tickSeconds: "3600",
    wires: [["agg"]],
  },
  { id: "agg", type: "helper" },
  { id: "c", type: "catch", scope: null, uncaught: false, wires: [["caught"]] },
  { id: "caught", type: "helper" },
];
const band = (
  pseudonym: string,
  mid: string,
  receivedAt: number,
  counter: number,
  days: [number, number, boolean][],
) => ({
  payload: {
    pseudonym,
    messageId: mid,
    receivedAt,
    counter,
    days: days.map(([d, steps, final]) => ({ date: iso(d), steps, final })),
  },
});

afterEach(() => helper.unload());

describe("liot-daily-steps", () => {
  it("emits a closed day once, ignores duplicates, and re-sends a corrected day with revision 2", async () => {
    await helper.load([dailyStepsNode, summaryNode], flow);
    const totals = collect("totals");
    const live = collect("live");
    const d = helper.getNode("d");
    d.receive(band(P, P + "/b/1", now - 86400 * 2, 1, [[today - 2, 4000, false]]));
    d.receive(band(P, P + "/b/1", now - 86400 * 2, 1, [[today - 2, 4000, false]]));
    d.receive(
      band(P, P + "/b/2", now - 60, 2, [
        [today, 120, false],
        [today - 2, 4500, true],
      ]),
    );
    await until(() => totals.length === 2);
    expect(totals.map((m) => m.payload)).toEqual([
      expect.objectContaining({
        pseudonym: P,
        date: iso(today - 2),
        steps: 4000,
        revision: 1,
        previousSteps: null,
      }),
      expect.objectContaining({
        pseudonym: P,
        date: iso(today - 2),
        steps: 4500,
        revision: 2,
        previousSteps: 4000,
        final: true,
      }),
    ]);
    expect(live.map((m) => (m.payload as { steps: number }).steps)).toEqual([4000, 120, 4500]);
    // the open day is kept in context and not sent as a total
    const state = (d as unknown as { context(): { get(k: string): unknown } })
      .context()
      .get("participant_" + P) as {
      days: Record<string, { steps: number }>;
    };
    expect(state.days[iso(today)]!.steps).toBe(120);
  });

  it("summarises closed days only, at least 5 people, rounded, never on a single report", async () => {
    await helper.load([dailyStepsNode, summaryNode], flow);
    const agg = collect("agg");
    const totals = collect("totals");
    const caught = collect("caught");
    const d = helper.getNode("d");
    const sum = helper.getNode("sum");
    const people = [0, 1, 2, 3, 4, 5].map((i) => "00000000-0000-4000-8000-00000000000" + i);
    const steps = [4321, 5467, 6789, 7013, 8191, 9377];
    // the open day is one person's live data: never aggregated
    d.receive(band(people[0]!, "live", now, 1, [[today, 1234, false]]));
    for (let i = 0; i < 4; i++)
      d.receive(band(people[i]!, "y" + i, now, 2, [[today - 1, steps[i]!, true]]));
    await until(() => totals.length === 4);
    await new Promise((r) => setTimeout(r, 100));
    expect(agg).toEqual([]); // nothing goes out on a report
    sum.receive({ topic: "tick" });
    await until(() => agg.length === 1);
    // four people: neither the median nor the number of participants
    expect(agg[0]!.payload).toEqual({ date: iso(today - 1), suppressed: true });
    // the fifth report: nothing on its own; the next tick publishes the group, rounded to 100
    d.receive(band(people[4]!, "y4", now, 2, [[today - 1, steps[4]!, true]]));
    await until(() => totals.length === 5);
    await new Promise((r) => setTimeout(r, 100));
    expect(agg).toHaveLength(1);
    sum.receive({ topic: "tick" });
    await until(() => agg.length === 2);
    expect(agg[1]!.payload).toEqual({
      date: iso(today - 1),
      participantsActive: 5,
      medianSteps: 6800,
      suppressed: false,
    });
    for (const s of steps)
      expect((agg[1]!.payload as { medianSteps: number }).medianSteps).not.toBe(s);
    // a sixth report the same day is not published until a day after the last publication
    d.receive(band(people[5]!, "y5", now, 2, [[today - 1, steps[5]!, true]]));
    await until(() => totals.length === 6);
    sum.receive({ topic: "tick" });
    await new Promise((r) => setTimeout(r, 200));
    expect(agg).toHaveLength(2);
    const out = JSON.stringify(agg.map((m) => m.payload));
    for (const p of people) expect(out).not.toContain(p);
    // live values (no revision) are refused
    sum.receive({ payload: { pseudonym: people[0], date: iso(today), steps: 5, final: false } });
    await until(() => caught.length === 1);
    expect((caught[0]!.error as { message: string }).message).toMatch(/day total/);
  });

  it("rejects a malformed report with a catchable error", async () => {
    await helper.load([dailyStepsNode, summaryNode], flow);
    const caught = collect("caught");
    helper.getNode("d").receive({
      payload: {
        pseudonym: P,
        messageId: "x",
        receivedAt: 1,
        days: [{ date: "yesterday", steps: 1 }],
      },
    });
    await until(() => caught.length === 1);
    expect((caught[0]!.error as { message: string }).message).toMatch(/YYYY-MM-DD/);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { localDay, localDayIso } from "@leiden-iot/protocol";
import dailyStepsNode from "../../src/nodes/daily-steps.js";
import summaryNode from "../../src/nodes/steps-summary.js";
import { collect, helper, until } from "../support/red-helper.js";

const P = "59cc44d2-a9bc-844c-93b7-a392bd9b5cb1";
const Q = "271462ca-b904-80e8-9fe7-05c8eb02945f";
const now = Date.now() / 1000;
const today = localDay(now);
const iso = (d: number) => localDayIso(d);
const flow = [
  {
    id: "d",
    type: "liot-daily-steps",
    graceMinutes: "0",
    tickSeconds: "3600",
    wires: [["totals"], ["live", "sum"]],
  },
  { id: "totals", type: "helper" },
  { id: "live", type: "helper" },
  { id: "sum", type: "liot-steps-summary", minGroup: "2", wires: [["agg"]] },
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

  it("summarises only aggregates and hides the median of a too small group", async () => {
    await helper.load([dailyStepsNode, summaryNode], flow);
    const agg = collect("agg");
    const d = helper.getNode("d");
    d.receive(band(P, "m1", now, 1, [[today, 3000, false]]));
    await until(() => agg.length === 1);
    expect(agg[0]!.payload).toEqual({
      date: iso(today),
      participantsActive: 1,
      medianSteps: null,
      suppressed: true,
    });
    d.receive(band(Q, "m2", now, 1, [[today, 5000, false]]));
    await until(() => agg.length === 2);
    expect(agg[1]!.payload).toEqual({
      date: iso(today),
      participantsActive: 2,
      medianSteps: 4000,
      suppressed: false,
    });
    expect(JSON.stringify(agg.map((m) => m.payload))).not.toContain(P);
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

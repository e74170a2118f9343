// The demo fleet profile (gateway sim, profile "demo") against the flows' own rules, on any date:
// the long-lesson room has a 10-minute exceedance only after the fleet goes live (so the alert
// fires live, within a minute), no other room alerts at the start, and the bands' backlog gives
// the organisation view closed days with at least 5 active participants.
import { describe, expect, it } from "vitest";
import {
  CO2_LEGAL_LIMIT_PPM,
  DEFAULT_CO2_PRESET,
  decodeAdvert,
  fromHex,
  presetThresholds,
} from "@leiden-iot/protocol";
import { SimFleet } from "../../../gateway/src/sources/sim/fleet.js";
import { DEMO_BACKLOG_DAYS } from "../../../gateway/src/sources/sim/demo-profile.js";
import {
  FRESH_MEMORY,
  stepClassroom,
  type ClassroomMemory,
} from "../../src/core/classroom-state.js";
import { aggregateDay } from "../../src/core/aggregates.js";

const MASTER = fromHex("000102030405060708090a0b0c0d0e0f")!;
// the example flows' rule: 10 minutes above 1200 ppm
const RULE = { abovePpm: CO2_LEGAL_LIMIT_PPM, forSeconds: 600 };
const THRESHOLDS = presetThresholds(DEFAULT_CO2_PRESET);

function fleet(bands: number, classrooms: number) {
  return new SimFleet({
    masterKey: MASTER,
    bands,
    classrooms,
    firstBandId: 1,
    firstClassroomId: 100000,
    counterBase: 1000,
    profile: "demo",
  });
}

describe.each([0, 400 * 86400, 217 * 86400 + 3600 * 13])("demo profile, now + %i s", (shift) => {
  const start = Math.floor(Date.now() / 1000) + shift;

  it("the long-lesson room alerts 10..60 s after going live, no room before", () => {
    const f = fleet(0, 5);
    f.begin(start);
    const frames = f
      .classroomHistory(start - 8 * 3600, start - 1800, 120)
      .concat(f.classroomHistory(start - 1800, start, 20));
    for (let t = start; t < start + 120; t += 5)
      for (let i = 0; i < 5; i++) frames.push(f.frame(t));
    const memory = new Map<number, ClassroomMemory>();
    const liveAlerts: { id: number; time: number }[] = [];
    const atStart = new Map<number, boolean>();
    for (const { frame, deviceId } of frames) {
      if (frame.receivedAt >= start && !atStart.size)
        for (const [id, m] of memory) atStart.set(id, m.alerting);
      const d = decodeAdvert(frame.ble!.data);
      if (!d.ok || d.value.kind !== "classroom") throw new Error("not a classroom advert");
      const r = d.value.reading!;
      const step = stepClassroom(
        String(deviceId),
        memory.get(deviceId) ?? FRESH_MEMORY,
        [{ time: frame.receivedAt, co2Ppm: r.co2Ppm, temperature: null, humidity: null }],
        false,
        THRESHOLDS,
        RULE,
      );
      memory.set(deviceId, step.memory);
      for (const a of step.alerts)
        if (a.type === "alert" && a.time >= start) liveAlerts.push({ id: deviceId, time: a.time });
    }
    // the backfill leaves every room without an alert; then exactly the long-lesson room alerts
    expect(Array.from(atStart.values())).toEqual([false, false, false, false, false]);
    expect(liveAlerts.map((a) => a.id)).toEqual([100000]);
    expect(liveAlerts[0]!.time - start).toBeGreaterThanOrEqual(10);
    expect(liveAlerts[0]!.time - start).toBeLessThanOrEqual(60);
  });

  it("bands carry a week of final earlier days, enough for an aggregate of each", () => {
    const f = fleet(20, 0);
    const byDay = new Map<number, Record<string, number>>();
    for (let i = 0; i < 20 * DEMO_BACKLOG_DAYS; i++) {
      const { frame, deviceId } = f.frame(start + i * 0.2);
      const d = decodeAdvert(frame.ble!.data);
      if (!d.ok || d.value.kind !== "band") throw new Error("not a band advert");
      const b = d.value.backlog!;
      expect(b.daysAgo).toBeGreaterThanOrEqual(1);
      expect(b.daysAgo).toBeLessThanOrEqual(DEMO_BACKLOG_DAYS);
      const day = byDay.get(b.daysAgo) ?? {};
      day[String(deviceId)] = b.steps;
      byDay.set(b.daysAgo, day);
    }
    expect(byDay.size).toBe(DEMO_BACKLOG_DAYS);
    for (const steps of byDay.values()) {
      const a = aggregateDay("any", steps);
      expect(a.suppressed).toBe(false);
      if (!a.suppressed) {
        expect(a.participantsActive).toBeGreaterThanOrEqual(5);
        expect(a.medianSteps).toBeGreaterThan(2000);
        expect(a.medianSteps).toBeLessThan(15000);
      }
    }
  });
});

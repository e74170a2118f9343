import { beforeAll, describe, expect, it } from "vitest";
import { localDayFromIso, localDayStart, type BatchUplink } from "@leiden-iot/protocol";
import { CLASSROOM_TIMING } from "../../src/classroom/classroom-app.js";
import { BATCH_ENCODE_MAX } from "../../src/classroom/batch.js";
import { createSimulation } from "../../src/sim/simulation.js";
import { classroomAdverts, DAY, ensureBundles, HOUR, uplinks } from "./support.js";

beforeAll(() => ensureBundles(), 60_000);

const monday = localDayFromIso("2026-11-16")!;
const t0 = localDayStart(monday);
const at = (h: number): number => t0 + h * 3600;
const lerp = (a: number, b: number, f: number): number => a + (b - a) * Math.max(0, Math.min(1, f));

/** A school day in ppm: lessons fill the room, breaks and an open window empty it. */
function schoolDay(t: number): number {
  const h = (t - t0) / 3600;
  if (h < 8.5) return 450;
  if (h < 10) return lerp(450, 1300, (h - 8.5) / 1.5);
  if (h < 10.25) return lerp(1300, 700, (h - 10) / 0.25);
  if (h < 10.75) return lerp(700, 1000, (h - 10.25) / 0.5);
  if (h < 12) return 1000 + 30 * Math.sin(((h - 10.75) * 3600 * 2 * Math.PI) / 600); // hovers
  if (h < 13) return 600;
  if (h < 15) return lerp(600, 1250, (h - 13) / 2);
  return lerp(1250, 450, (h - 15) / 2);
}

function signalAt(ads: { t: number; signal: string }[], t: number): string {
  let s = "none";
  for (const a of ads) if (a.t <= t) s = a.signal;
  return s;
}

describe("classroom: a school day", () => {
  it("signals with hysteresis, and reports every reading over LoRa within fair use", () => {
    const sim = createSimulation({ device: "classroom", start: at(6), co2: schoolDay });
    sim.advanceTo(at(18));
    expect(sim.errors).toEqual([]);
    const ble = sim.radio.filter((l) => l.channel === "ble");
    const ads = classroomAdverts(sim.radio, sim.deviceKey).map((a, i) => ({
      t: ble[i]!.t,
      signal: a.status.signal,
      co2: a.reading ? a.reading.co2Ppm : null,
    }));
    expect(ads.length).toBeGreaterThan(600);
    expect(signalAt(ads, at(8))).toBe("green");
    expect(signalAt(ads, at(9.6))).toBe("orange"); // ~1070 ppm
    expect(signalAt(ads, at(9.9))).toBe("red");
    expect(signalAt(ads, at(10.3))).toBe("green");
    expect(signalAt(ads, at(12.5))).toBe("green");
    expect(signalAt(ads, at(14.9))).toBe("red");
    expect(signalAt(ads, at(17.5))).toBe("green");
    // 10:45-12:00 the room hovers at 1000 +- 30 ppm: one change to orange, then no flapping.
    const hover = ads.filter((a) => a.t >= at(10.75) && a.t < at(12));
    let changes = 0;
    for (let i = 1; i < hover.length; i++) if (hover[i]!.signal !== hover[i - 1]!.signal) changes++;
    expect(changes).toBeLessThanOrEqual(1);
    // The light follows the signal: green at the end of the day.
    expect(ads.filter((a) => a.t > at(6) + 120).every((a) => a.signal !== "none")).toBe(true);
    expect(sim.ledState()).toEqual({ LED1: 0, LED2: 1, LED3: 0 });

    // LoRa: a status uplink after join, then batches whose readings cover the day in order.
    const ups = uplinks(sim.radio);
    expect(ups[0]!.uplink.kind).toBe("device_status");
    const batches = ups
      .filter((u) => u.uplink.kind === "batch")
      .map((u) => u.uplink as BatchUplink);
    expect(batches.length).toBeGreaterThan(50);
    let expectSeq = batches[0]!.seq;
    let readings = 0;
    for (const b of batches) {
      expect(b.seq).toBe(expectSeq);
      expectSeq = (expectSeq + b.readings.length) & 0xffff;
      readings += b.readings.length;
      expect(b.intervalSeconds).toBe(60);
    }
    expect(readings).toBeGreaterThan(11.5 * 60);
    const red = batches.flatMap((b) => b.readings).filter((r) => r.co2Ppm >= 1200).length;
    expect(red).toBeGreaterThan(20);
    // Fair use: at most 30 s of airtime in the day.
    const air = ups.reduce((s, u) => s + u.line.airtimeMs, 0);
    expect(air).toBeLessThanOrEqual(30000);
  });

  it("at SF12 (DR0) it averages readings so a whole day stays within 30 s of airtime", () => {
    const sim = createSimulation({
      device: "classroom",
      start: at(0) + 60,
      co2: schoolDay,
      loraDr: 0,
    });
    sim.advance(DAY);
    expect(sim.errors).toEqual([]);
    const ups = uplinks(sim.radio);
    const air = ups.reduce((s, u) => s + u.line.airtimeMs, 0);
    expect(air).toBeLessThanOrEqual(30000);
    expect(air).toBeGreaterThan(12000); // it uses the budget rather than going silent
    const batches = ups
      .filter((u) => u.uplink.kind === "batch")
      .map((u) => u.uplink as BatchUplink);
    expect(batches.length).toBeGreaterThanOrEqual(6);
    // The first batch holds the minute readings taken while joining; after that, averages.
    for (const b of batches.slice(1)) expect(b.intervalSeconds).toBe(1200);
    const covered = batches.reduce((s, b) => s + b.readings.length * b.intervalSeconds, 0);
    expect(covered).toBeGreaterThan(20 * 3600); // the day is covered, coarser
    for (const u of ups) expect(u.line.payload.length / 2).toBeLessThanOrEqual(51);
  });
});

describe("classroom: the button", () => {
  it("only shows the current level: no reading, no batch entry, no advert counter, no uplink", () => {
    const sim = createSimulation({ device: "classroom", start: at(9) });
    sim.setCo2(700);
    sim.advance(5 * 60_000 + 10_000);
    expect(sim.ledState()).toEqual({ LED1: 0, LED2: 1, LED3: 0 });
    const commands = sim.scd4x.commands.length;
    const radio = sim.radio.length;
    const adverts = classroomAdverts(sim.radio, sim.deviceKey);
    const lastCounter = adverts[adverts.length - 1]!.counter;
    sim.setCo2(1500); // the room changed since the last minute reading
    sim.advance(1000);
    sim.pressButton();
    sim.advance(2000);
    // The light shows the level of the last reading; the sensor is not read.
    expect(sim.ledState()).toEqual({ LED1: 0, LED2: 1, LED3: 0 });
    expect(sim.scd4x.commands.length).toBe(commands);
    // No advert (no counter used) and no LoRa uplink.
    expect(sim.radio.length).toBe(radio);
    // The next minute reading picks up the new level and continues the counter.
    sim.advance(60_000);
    expect(sim.ledState()).toEqual({ LED1: 1, LED2: 0, LED3: 0 });
    const after = classroomAdverts(sim.radio, sim.deviceKey);
    expect(after[adverts.length]!.counter).toBe(lastCounter + 1);
    expect(sim.errors).toEqual([]);
  });
});

describe("classroom: bad input", () => {
  it("SCD4x CRC errors: one is retried away, persistent ones raise sensorFault and signal none", () => {
    const sim = createSimulation({ device: "classroom", start: at(9) });
    sim.setCo2(1300);
    sim.advance(10 * 60_000);
    sim.scd4x.crcErrors = 1;
    sim.advance(60_000);
    let ads = classroomAdverts(sim.radio, sim.deviceKey);
    expect(ads[ads.length - 1]!.status.sensorFault).toBe(false);
    expect(ads[ads.length - 1]!.reading!.co2Ppm).toBe(1300);
    sim.scd4x.crcErrors = 1000;
    sim.advance(3 * 60_000);
    ads = classroomAdverts(sim.radio, sim.deviceKey);
    const last = ads[ads.length - 1]!;
    expect(last.status.sensorFault).toBe(true);
    expect(last.status.signal).toBe("none");
    expect(last.reading).toBeNull();
    expect(sim.ledState()).toEqual({ LED1: 0, LED2: 0, LED3: 0 });
    sim.scd4x.crcErrors = 0;
    sim.scd4x.noAck = true;
    sim.advance(2 * 60_000);
    ads = classroomAdverts(sim.radio, sim.deviceKey);
    expect(ads[ads.length - 1]!.status.sensorFault).toBe(true);
    sim.scd4x.noAck = false;
    sim.advance(2 * 60_000);
    ads = classroomAdverts(sim.radio, sim.deviceKey);
    expect(ads[ads.length - 1]!.status.sensorFault).toBe(false);
    expect(ads[ads.length - 1]!.status.signal).toBe("red");
    // No batch ever carried a made-up reading.
    for (const u of uplinks(sim.radio))
      if (u.uplink.kind === "batch") for (const r of u.uplink.readings) expect(r.co2Ppm).toBe(1300);
    expect(sim.errors).toEqual([]);
  });

  it("a sensor fault while readings are buffered leaves a seq gap: later readings keep their time", () => {
    // CO2 rises 2 ppm a minute, so every reading tells the minute it was taken.
    const start = at(9);
    const sim = createSimulation({
      device: "classroom",
      start,
      co2: (t) => 400 + (2 * (t - start)) / 60,
    });
    sim.advance(65 * 60_000);
    sim.scd4x.crcErrors = 1000; // 5 minutes of failed readings, between two uplinks
    sim.advance(5 * 60_000);
    sim.scd4x.crcErrors = 0;
    sim.advance(60 * 60_000);
    expect(sim.errors).toEqual([]);
    const batches = uplinks(sim.radio)
      .filter((u) => u.uplink.kind === "batch")
      .map((u) => u.uplink as BatchUplink);
    expect(batches.length).toBeGreaterThan(8);
    // seq counts minutes: co2 - 2 * seq is the same for every reading, before and after the gap.
    const offsets: number[] = [];
    for (const b of batches)
      b.readings.forEach((r, i) => offsets.push(r.co2Ppm - 2 * ((b.seq + i) & 0xffff)));
    expect(Math.max(...offsets) - Math.min(...offsets)).toBeLessThanOrEqual(2);
    const seqs = batches.flatMap((b) => b.readings.map((_, i) => b.seq + i));
    expect(seqs.length).toBeGreaterThan(105); // 125 valid minutes, less those not yet sent
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);
  });

  it("RN2483 join denials back off exponentially, then the node joins", () => {
    const sim = createSimulation({ device: "classroom", start: at(7) });
    sim.rn2483.inject("mac join", ["ok", "denied"]);
    sim.rn2483.inject("mac join", ["no_free_ch"]);
    sim.rn2483.inject("mac join", ["busy"]);
    sim.advance(HOUR);
    const joins = sim.rn2483.commandLog.filter((c) => c.cmd === "mac join otaa").map((c) => c.t);
    expect(joins.length).toBe(4);
    const gaps = joins.slice(1).map((t, i) => t - joins[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(15);
    expect(gaps[1]).toBeGreaterThanOrEqual(30);
    expect(gaps[2]).toBeGreaterThanOrEqual(60);
    expect(sim.rn2483.joined).toBe(true);
    expect(uplinks(sim.radio).length).toBeGreaterThan(3);
    expect(sim.errors).toEqual([]);
  });

  it("uplink errors: no_free_ch, busy and mac_err keep the readings; invalid_param drops them", () => {
    const sim = createSimulation({ device: "classroom", start: at(7) });
    sim.advance(30 * 60_000);
    const before = uplinks(sim.radio).filter((u) => u.uplink.kind === "batch");
    const lastBefore = before[before.length - 1]!.uplink as BatchUplink;
    const nextSeq = (lastBefore.seq + lastBefore.readings.length) & 0xffff;
    sim.rn2483.inject("mac tx", ["no_free_ch"]);
    sim.rn2483.inject("mac tx", ["busy"]);
    sim.rn2483.inject("mac tx", ["ok", "mac_err"]);
    sim.advance(45 * 60_000);
    const after = uplinks(sim.radio)
      .filter((u) => u.uplink.kind === "batch")
      .slice(before.length)
      .map((u) => u.uplink as BatchUplink);
    expect(after[0]!.seq).toBe(nextSeq); // nothing lost
    // The backlog (> 20 readings) goes out in consecutive batches of at most BATCH_ENCODE_MAX.
    let backlog = 0;
    for (let i = 0; i < after.length && after[i]!.seq === ((nextSeq + backlog) & 0xffff); i++) {
      expect(after[i]!.readings.length).toBeLessThanOrEqual(BATCH_ENCODE_MAX);
      backlog += after[i]!.readings.length;
    }
    expect(backlog).toBeGreaterThan(20);
    const seqBefore =
      (after[after.length - 1]!.seq + after[after.length - 1]!.readings.length) & 0xffff;
    sim.rn2483.inject("mac tx", ["invalid_param"]);
    sim.advance(25 * 60_000);
    const later = uplinks(sim.radio)
      .filter((u) => u.uplink.kind === "batch")
      .map((u) => u.uplink as BatchUplink);
    expect(later[later.length - 1]!.seq).toBeGreaterThan(seqBefore); // the refused batch was dropped
    expect(sim.errors).toEqual([]);
  });

  it("repeated LoRa send failures raise the system-fault bit until a send succeeds", () => {
    const sim = createSimulation({ device: "classroom", start: at(7) });
    sim.advance(30 * 60_000);
    const last = () => classroomAdverts(sim.radio, sim.deviceKey).pop()!;
    expect(last().status.systemFault).toBe(false);
    for (let i = 0; i < CLASSROOM_TIMING.LORA_FAULT_STREAK; i++)
      sim.rn2483.inject("mac tx", ["no_free_ch"]);
    const failedBefore = sim.rn2483.commandLog.filter((c) => c.cmd.startsWith("mac tx")).length;
    let guard = 0;
    while (
      sim.rn2483.commandLog.filter((c) => c.cmd.startsWith("mac tx")).length <
        failedBefore + CLASSROOM_TIMING.LORA_FAULT_STREAK &&
      guard++ < 200
    ) {
      sim.advance(60_000);
    }
    sim.advance(2 * 60_000); // the next advert refresh carries the new status
    expect(last().status.systemFault).toBe(true);
    const sent = uplinks(sim.radio).length;
    sim.advance(60 * 60_000);
    expect(uplinks(sim.radio).length).toBeGreaterThan(sent);
    expect(last().status.systemFault).toBe(false);
    expect(sim.errors).toEqual([]);
  });

  it("downlinks change thresholds, interval and time, and start a forced recalibration", () => {
    const sim = createSimulation({ device: "classroom", start: at(7), rtcSet: false });
    sim.advance(15 * 60_000);
    let st = uplinks(sim.radio).filter((u) => u.uplink.kind === "device_status");
    expect(st[0]!.uplink.kind === "device_status" && st[0]!.uplink.status.clockNotSet).toBe(true);
    sim.rn2483.queueDownlink(11, "032003b61e"); // orange 800, red 950, hysteresis 30
    sim.rn2483.queueDownlink(13, Math.floor(sim.now()).toString(16).padStart(8, "0"));
    sim.rn2483.queueDownlink(12, "010190"); // forced recalibration to 400 ppm
    sim.rn2483.queueDownlink(10, "0078001e"); // readings every 120 s, uplinks every 30 min
    sim.advance(2 * HOUR);
    expect(sim.errors).toEqual([]);
    st = uplinks(sim.radio).filter((u) => u.uplink.kind === "device_status");
    const last = st[st.length - 1]!.uplink;
    if (last.kind !== "device_status") throw new Error("not a status");
    expect(last.thresholds).toEqual({ orangePpm: 800, redPpm: 950, hysteresisPpm: 30 });
    expect(last.readingIntervalSeconds).toBe(120);
    expect(last.uplinkIntervalMinutes).toBe(30);
    expect(last.status.clockNotSet).toBe(false);
    expect(last.status.calibration).toBe("auto");
    // The time downlink waits for the next uplink's receive window: the clock is off by at most
    // the time it sat at the network server (here up to one uplink interval, 10 min).
    expect(Math.abs(sim.deviceTime() - sim.now())).toBeLessThanOrEqual(600);
    expect(sim.scd4x.lastForcedRecalibration).toBe(400);
    expect(st.length).toBeGreaterThanOrEqual(5); // join + one per downlink
    const batches = uplinks(sim.radio).filter((u) => u.uplink.kind === "batch");
    const lastBatch = batches[batches.length - 1]!.uplink as BatchUplink;
    expect(lastBatch.intervalSeconds).toBe(120);
    // A malformed downlink changes nothing and crashes nothing.
    sim.rn2483.queueDownlink(11, "ffff");
    sim.advance(HOUR);
    expect(sim.errors).toEqual([]);
  });

  it("a brown-out restarts cleanly: rejoins and reports restarted with the boot count", () => {
    const sim = createSimulation({ device: "classroom", start: at(7) });
    sim.advance(HOUR);
    sim.powerCut(2000, true); // the RN2483 stays powered and asleep
    sim.advance(HOUR);
    expect(sim.errors).toEqual([]);
    const st = uplinks(sim.radio).filter((u) => u.uplink.kind === "device_status");
    expect(st.length).toBe(2);
    const second = st[1]!.uplink;
    if (second.kind !== "device_status") throw new Error("not a status");
    expect(second.boots).toBe(2);
    expect(second.status.restarted).toBe(true);
    const batches = uplinks(sim.radio).filter((u) => u.uplink.kind === "batch");
    const lastBatch = batches[batches.length - 1]!.uplink as BatchUplink;
    expect(lastBatch.status.restarted).toBe(false);
    expect(CLASSROOM_TIMING.FIRMWARE).toBe(second.firmware);
  });
});

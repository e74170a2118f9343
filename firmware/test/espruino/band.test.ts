// The band bundles on the real Espruino interpreter (npm run test:espruino): boot as flashed and
// provisioned, count steps across a local midnight, advertise frames the gateway accepts, carry a
// full 14-day backlog in the rotation, within the memory budget, and reboot from the persisted
// Storage with the days and fresh counters; 16 days of wear from a fresh Puck.js band (the rotation
// growing to 15 frames) then a reboot.
import { epochOf, localDay, localDayStart } from "@leiden-iot/protocol";
import { describe, expect, it } from "vitest";
import type { BandState } from "../../src/band/band-store.js";
import { dayLogOf } from "../../src/band/step-ledger.js";
import { checkBandAdverts, runBand, type BandRun, type CheckedAdvert } from "./band-scenario.js";
import { expectHealthyRun, formatFigures } from "./checks.js";
import type { InterpreterBoard } from "./interpreter.js";
import type { RunReport } from "./report.js";

const DEVICE = 0x101;
// 22:00 local time (CET) on 2026-11-10; midnight falls in the runs.
const DAY = localDay(1794268800);
const START = localDayStart(DAY) + 22 * 3600;
const HOUR = 3600;

function config(hours: number): BandRun["config"] {
  return {
    startS: START,
    rtcS: START,
    endS: START + hours * HOUR,
    sampleS: 1800,
    walk: [[START + 600, START + 2400, 100]],
    battery: [[0, 3900]],
    imuOnS: START,
    beacons: 0,
    beaconFreshS: 30,
  };
}

/** Today and 14 backlog days in flash, as the band's store writes them (5000, 5100, ... steps). */
function fullBacklog(): BandState {
  const days = dayLogOf(
    Array.from({ length: 15 }, (_, i) => ({ day: DAY - i, steps: 5000 + i * 100 })),
  );
  return { seq: 7, days, counterCeil: 200000, time: START - 600, goalDay: -1, syncedAt: START };
}

/** NRF.setAddress only when the address changes: once per epoch, never twice in a row. */
function expectAddressPerEpoch(r: RunReport): void {
  for (let i = 1; i < r.addresses.length; i++)
    expect(r.addresses[i]!.address, "setAddress with an unchanged address").not.toBe(
      r.addresses[i - 1]!.address,
    );
  const epochs = new Set(r.addresses.map((a) => epochOf(a.t)));
  expect(r.addresses.length).toBe(epochs.size);
}

/** The backlog days (days ago -> steps) of the adverts of local day `day`. */
function backlogOf(adverts: CheckedAdvert[], day: number): Map<number, number> {
  const m = new Map<number, number>();
  for (const a of adverts)
    if (a.advert.day === day && a.advert.backlog)
      m.set(a.advert.backlog.daysAgo, a.advert.backlog.steps);
  return m;
}

/**
 * Runs `first`, then reboots the band from the Storage it left (same directory, no new flash or
 * state, the RTC kept: a soft reboot) for 2 h. Both runs must be healthy and every advert must
 * verify in Node; the backlog days after the reboot must be the ones before it and the counters
 * must carry on above every counter used before.
 */
async function runThenReboot(board: InterpreterBoard, first: BandRun, lastDay: number) {
  const a = await runBand(first);
  const m1 = expectHealthyRun(board, a.report);
  const before = checkBandAdverts(a.report, DEVICE);
  expect(before.problems).toEqual([]);
  const at = first.config.endS + 60;
  const b = await runBand({
    board,
    deviceId: DEVICE,
    flash: false,
    dir: a.dir,
    config: {
      ...first.config,
      startS: at,
      rtcS: at,
      endS: at + 2 * HOUR,
      sampleS: 1800,
      walk: [],
    },
  });
  const m2 = expectHealthyRun(board, b.report);
  const after = checkBandAdverts(b.report, DEVICE);
  expect(after.problems).toEqual([]);
  expect(after.adverts.length).toBeGreaterThan(15);
  expect(after.adverts.every((x) => x.advert.day === lastDay)).toBe(true);
  const want = backlogOf(before.adverts, lastDay);
  expect(want.size).toBe(14);
  expect(backlogOf(after.adverts, lastDay)).toEqual(want);
  const maxBefore = Math.max(...before.adverts.map((x) => x.advert.counter));
  expect(Math.min(...after.adverts.map((x) => x.advert.counter))).toBeGreaterThan(maxBefore);
  expect(b.report.advertising.every((x) => x.count === 15 && !x.connectable)).toBe(true);
  return { m1, m2, before, after };
}

/**
 * 16 days of wear on a fresh Puck.js band: the day list and the rotation grow naturally, one day
 * per midnight, for longer than the history (README "Real interpreter": this ran out of memory at
 * ~13 frames while the days were objects and each epoch allocated new packets).
 */
describe("band-puckjs2 for 16 days", () => {
  it("fresh band: 16 days of walks, full rotation, then a reboot keeps the days", async () => {
    // Walking without pause at 1, 2, 3, 4 steps/min for four days each, from 22:10 on DAY (a few
    // walk entries: the stand-ins' own config counts against the Puck's variables too), then 5.
    const walk: [number, number, number][] = [];
    for (let g = 0; g < 4; g++)
      walk.push([
        g === 0 ? START + 600 : localDayStart(DAY + 4 * g),
        localDayStart(DAY + 4 * g + 4),
        g + 1,
      ]);
    walk.push([localDayStart(DAY + 16), localDayStart(DAY + 20), 5]);
    const stepsOf = (d: number) => (d === DAY ? 110 : 1440 * (1 + Math.floor((d - DAY) / 4)));
    const r = await runThenReboot(
      "puckjs2",
      {
        board: "puckjs2",
        deviceId: DEVICE,
        flash: true,
        config: { ...config(0), endS: localDayStart(DAY + 16) + 2 * HOUR, sampleS: 6 * HOUR, walk },
        timeoutMs: 1_800_000,
      },
      DAY + 16,
    );
    console.log(formatFigures("band-puckjs2 16 days", r.m1));
    console.log(formatFigures("band-puckjs2 after the reboot", r.m2));
    // The last rotation: today and the newest 14 days (DAY and DAY+1 dropped out), each day's
    // total within a 5-minute read interval of the walk (a read at midnight may fall either side).
    const got = backlogOf(r.before.adverts, DAY + 16);
    expect([...got.keys()].sort((x, y) => x - y)).toEqual(
      Array.from({ length: 14 }, (_, k) => k + 1),
    );
    for (const [ago, steps] of got)
      expect(Math.abs(steps - stepsOf(DAY + 16 - ago)), "day " + ago + " ago").toBeLessThanOrEqual(
        25,
      );
    // Each midnight added a day: on day DAY+i the rotation held min(i, 14) backlog days.
    for (let i = 1; i <= 16; i++)
      expect(backlogOf(r.before.adverts, DAY + i).size, "backlog days on DAY+" + i).toBe(
        Math.min(i, 14),
      );
  }, 3_600_000);
});

describe.each<InterpreterBoard>(["puckjs2", "banglejs2"])("band-%s on the interpreter", (board) => {
  it("boots as provisioned and advertises verified frames across midnight", async () => {
    const { report } = await runBand({ board, deviceId: DEVICE, flash: true, config: config(4) });
    const m = expectHealthyRun(board, report);
    console.log(formatFigures("band-" + board + " 4 h, no backlog", m));
    const c = checkBandAdverts(report, DEVICE);
    expect(c.problems).toEqual([]);
    expect(c.adverts.length).toBeGreaterThan(16);
    const last = c.adverts[c.adverts.length - 1]!.advert;
    expect(last.day).toBe(DAY + 1);
    // Yesterday's 3000 steps ride in the rotation as a backlog frame after midnight.
    const backlog = c.adverts.filter((a) => a.advert.backlog !== null).map((a) => a.advert.backlog);
    expect(backlog[backlog.length - 1]).toEqual({ daysAgo: 1, steps: 3000 });
    // 3.0 V on a CR2032 / 3.9 V on a LiPo is not low: the band reads its cell, not a regulator.
    expect(last.flags.lowBattery).toBe(false);
    expectAddressPerEpoch(report);
  }, 240_000);

  it("carries a full 14-day backlog (15-frame rotation) through midnight", async () => {
    const { report } = await runBand({
      board,
      deviceId: DEVICE,
      flash: true,
      state: fullBacklog(),
      config: config(board === "puckjs2" ? 4 : 2.5),
    });
    const m = expectHealthyRun(board, report);
    console.log(formatFigures("band-" + board + " 15-frame rotation", m));
    const c = checkBandAdverts(report, DEVICE);
    expect(c.problems).toEqual([]);
    expect(report.advertising.every((a) => a.count === 15 && !a.connectable)).toBe(true);
    // After midnight the rotation is today + the 14 newest days: 3000 steps walked yesterday
    // evening on top of its 5000, then 5100 ... 6300; the 15th-oldest day has dropped out.
    const after = c.adverts.filter((a) => a.advert.day === DAY + 1 && a.advert.backlog);
    const got = new Map(after.map((a) => [a.advert.backlog!.daysAgo, a.advert.backlog!.steps]));
    const want = new Map(
      Array.from({ length: 14 }, (_, i) => [i + 1, 5000 + i * 100 + (i ? 0 : 3000)]),
    );
    expect(got).toEqual(want);
    expectAddressPerEpoch(report);
  }, 240_000);

  it("reboots from the persisted Storage with its 14 backlog days and fresh counters", async () => {
    await runThenReboot(
      board,
      {
        board,
        deviceId: DEVICE,
        flash: true,
        state: fullBacklog(),
        config: config(board === "puckjs2" ? 4 : 2.5),
      },
      DAY + 1,
    );
  }, 300_000);
});

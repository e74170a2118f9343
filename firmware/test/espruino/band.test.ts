// The band bundles on the real Espruino interpreter (npm run test:espruino): boot as flashed and
// provisioned, count steps across a local midnight, advertise frames the gateway accepts, carry a
// full 14-day backlog in the rotation, within the memory budget.
import { epochOf, localDay, localDayStart } from "@leiden-iot/protocol";
import { describe, expect, it } from "vitest";
import type { BandState } from "../../src/band/band-store.js";
import { checkBandAdverts, runBand, type BandRun } from "./band-scenario.js";
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
  const days = Array.from({ length: 15 }, (_, i) => ({ day: DAY - i, steps: 5000 + i * 100 }));
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
});

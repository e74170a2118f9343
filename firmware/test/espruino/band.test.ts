// The band bundles on the real Espruino interpreter (npm run test:espruino): boot as flashed and
// provisioned, count steps across a local midnight, advertise frames the gateway accepts, within
// the memory budget.
import { localDay, localDayStart } from "@leiden-iot/protocol";
import { describe, expect, it } from "vitest";
import { checkBandAdverts, runBand } from "./band-scenario.js";
import { expectHealthyRun, formatFigures } from "./checks.js";

const DEVICE = 0x101;
// 22:00 local time (CET) on 2026-11-10; midnight falls in the run.
const DAY = localDay(1794268800);
const START = localDayStart(DAY) + 22 * 3600;
const HOUR = 3600;

describe("band-banglejs2 on the Bangle.js 2 interpreter (no crypto.AES)", () => {
  it("boots, signs with its software AES and advertises verified frames across midnight", async () => {
    const { report } = await runBand({
      board: "banglejs2",
      deviceId: DEVICE,
      flash: true,
      config: {
        startS: START,
        rtcS: START,
        endS: START + 4 * HOUR,
        sampleS: 1800,
        walk: [[START + 600, START + 2400, 100]],
        battery: [[0, 3900]],
        imuOnS: START,
        beacons: 0,
        beaconFreshS: 30,
      },
    });
    const m = expectHealthyRun("banglejs2", report);
    console.log(formatFigures("band-banglejs2 4 h", m));
    const c = checkBandAdverts(report, DEVICE);
    expect(c.problems).toEqual([]);
    expect(c.adverts.length).toBeGreaterThan(16);
    const last = c.adverts[c.adverts.length - 1]!.advert;
    expect(last.day).toBe(DAY + 1);
    // Yesterday's 3000 steps ride in the rotation as a backlog frame after midnight.
    const backlog = c.adverts.filter((a) => a.advert.backlog !== null).map((a) => a.advert.backlog);
    expect(backlog.length).toBeGreaterThan(0);
    expect(backlog[backlog.length - 1]).toEqual({ daysAgo: 1, steps: 3000 });
    // A LiPo at 3.9 V is not low: the band reads the battery, not the regulated supply.
    expect(last.flags.lowBattery).toBe(false);
  }, 240_000);
});

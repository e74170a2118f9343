// CO2 in the node's chamber goes 600 -> 1500 -> 600 ppm (CO2 valve up, fan down in measured
// bursts). The LED goes green -> orange -> red and back to green, holding each colour while CO2 is
// within the hysteresis band below its threshold, and the LoRa uplinks carry the same readings.
import type { HilContext } from "../rig/context.js";
import { colourOf, colourSequence, type LightColour } from "../rig/light.js";
import { allOf } from "../scenario/tolerance.js";
import type { Measurement, Scenario } from "../scenario/types.js";
import { holdBand, judgeLoraEntries, signalViolations, THRESHOLDS } from "./co2-signal.js";
import { classroomAdverts, nextAdvert, type HeardClassroom } from "./watch.js";

const LOW = 600;
const HIGH = 1500;
/** Node's reading interval (60 s) plus margin: after this a new reading has surely been taken. */
const READING_MS = 65_000;
/** The node's reading interval (s): a LoRa batch entry spanning more is an average. */
const READING_INTERVAL_S = 60;
const UPLINK_WAIT_MS = 11 * 60_000;

interface Run {
  ctx: HilContext;
  light: { at: number; colour: LightColour | "unknown" }[];
  probes: { threshold: number; co2: number; held: boolean }[];
  fanPpmPerSecond: number;
}

async function step(r: Run, ms: number): Promise<void> {
  const end = r.ctx.clock.now() + ms;
  while (r.ctx.clock.now() < end) {
    r.light.push({ at: r.ctx.clock.now(), colour: colourOf(r.ctx.bench.light()) });
    await r.ctx.clock.wait(Math.min(1000, end - r.ctx.clock.now()));
  }
}

function newest(r: Run): HeardClassroom | undefined {
  const all = classroomAdverts(r.ctx);
  return all[all.length - 1];
}

function co2Of(h: HeardClassroom | undefined): number | null {
  return h?.advert.reading?.co2Ppm ?? null;
}

/** Fan bursts sized from the measured fan rate until a reading is below `target`. */
async function fanDownTo(r: Run, target: number, aim: number): Promise<number> {
  for (let i = 0; i < 40; i++) {
    const c = co2Of(newest(r));
    if (c === null) throw new Error("the node reports no valid CO2 reading");
    if (c < target) return c;
    const burstS = Math.max(2, Math.min(60, (c - aim) / r.fanPpmPerSecond));
    r.ctx.bench.fan(true);
    await step(r, burstS * 1000);
    r.ctx.bench.fan(false);
    await step(r, READING_MS);
    const after = co2Of(newest(r));
    if (after !== null && after < c) {
      const rate = (c - after) / burstS;
      r.fanPpmPerSecond = 0.5 * r.fanPpmPerSecond + 0.5 * rate;
    }
  }
  throw new Error(`the fan did not bring CO2 below ${target} ppm in 40 bursts`);
}

/** Inside a hysteresis band: holds two readings and records whether the colour stayed. */
async function probe(r: Run, threshold: number, colour: string): Promise<void> {
  const band = holdBand(threshold);
  const c = co2Of(newest(r));
  if (c === null || c < band.low || c >= band.high) return;
  const from = r.light.length;
  await step(r, 2 * READING_MS);
  const seen = r.light.slice(from).map((x) => x.colour);
  const stillIn = co2Of(newest(r));
  r.probes.push({
    threshold: threshold,
    co2: c,
    held: seen.every((x) => x === colour) && stillIn !== null && stillIn >= band.low,
  });
}

export const classroomCo2: Scenario = {
  name: "classroom-co2-signal",
  title:
    "CO2 600 → 1500 → 600 ppm gives green → orange → red → green with hysteresis and LoRa uplinks",
  device: "classroom",
  tolerance: {
    text: "signal = spec (orange ≥ 1000, red ≥ 1200, down 50 ppm lower) at every reading; both hysteresis bands held; LED = advert; every LoRa reading matches a measured one (or, averaged, its window's mean), peak and end included",
  },
  timeoutMs: 90 * 60_000,
  async run(ctx: HilContext): Promise<Measurement> {
    ctx.bench.watchLight();
    const r: Run = { ctx: ctx, light: [], probes: [], fanPpmPerSecond: 5 };
    const t0 = ctx.clock.now();
    await nextAdvert(ctx, classroomAdverts, t0, 90_000);
    await step(r, READING_MS);
    if ((co2Of(newest(r)) ?? Infinity) > LOW + 50) await fanDownTo(r, LOW + 50, LOW - 20);
    // Up: the valve stays open until a reading of at least HIGH.
    ctx.bench.co2Valve(true);
    for (let i = 0; (co2Of(newest(r)) ?? 0) < HIGH; i++) {
      if (i > 60) throw new Error(`the CO2 valve did not raise CO2 to ${HIGH} ppm in 60 min`);
      await step(r, 60_000);
    }
    ctx.bench.co2Valve(false);
    const peak = co2Of(newest(r))!;
    // Down, stopping inside each hysteresis band to see that the colour holds.
    const red = holdBand(THRESHOLDS.redPpm);
    await fanDownTo(r, red.high, (red.low + red.high) / 2);
    await probe(r, THRESHOLDS.redPpm, "red");
    const orange = holdBand(THRESHOLDS.orangePpm);
    await fanDownTo(r, orange.high, (orange.low + orange.high) / 2);
    await probe(r, THRESHOLDS.orangePpm, "orange");
    await fanDownTo(r, LOW + 1, LOW - 20);
    await step(r, UPLINK_WAIT_MS);

    const adverts = classroomAdverts(ctx, t0).filter((h) => h.advert.reading !== null);
    const readings = dedupReadings(adverts);
    const violations = signalViolations(readings);
    const sequence = colourSequence(r.light.map((x) => x.colour));
    const ledMismatch = ledMismatches(r, adverts);
    const lora = ctx.gateway.messages().filter((m) => m.channel === "lora" && m.at >= t0);
    const loraReadings = lora.flatMap((m) => m.classroom?.readings ?? []);
    // Each LoRa entry against the measured readings: equal to one when the node sends readings as
    // they are; the mean of its window's readings when it averages them (low data rates).
    const verdicts = judgeLoraEntries(
      readings.map((x) => ({ at: x.at, co2: x.co2 })),
      lora.map((m) => m.classroom?.readings ?? []),
      READING_INTERVAL_S,
    );
    const unmatched = verdicts.filter((v) => !v.ok);
    const aggregate = Math.max(1, ...verdicts.map((v) => v.aggregate));
    const loraCo2 = loraReadings.map((x) => x.co2Ppm ?? 0);
    const loraPeak = loraCo2.length ? Math.max(...loraCo2) : null;
    const loraLast = loraReadings.length ? loraReadings[loraReadings.length - 1]!.co2Ppm : null;
    const lastVerdict = verdicts[verdicts.length - 1];
    // Peak and end: exact when readings are sent as they are; averaged, the measured peak must be
    // in a LoRa entry's window (and no entry above it), and the last entry within its tolerance
    // of LOW.
    const peakAt = readings.find((x) => x.co2 === peak)?.at ?? null;
    const peakIncluded =
      aggregate === 1
        ? loraPeak === peak
        : loraPeak !== null &&
          loraPeak <= peak + 1 &&
          verdicts.some((v) => v.ok && v.window.some((w) => w.at === peakAt));
    const endIncluded =
      loraLast !== null && loraLast <= LOW + (aggregate === 1 ? 0 : (lastVerdict?.tolerance ?? 0));
    const firstUnmatched = unmatched[0];
    const loraSignals = new Set(lora.map((m) => m.classroom?.signal));
    return allOf(
      `${sequence.join("→")}; peak ${peak} ppm; ${lora.length} LoRa uplinks`,
      [
        {
          ok:
            sequence.slice(0, 3).join(",") === "green,orange,red" &&
            sequence[sequence.length - 1] === "green",
          say: `LED colours ${sequence.join(" → ")}`,
        },
        {
          ok: readings.length >= 10 && violations.length === 0,
          say:
            violations.length === 0
              ? `${readings.length} readings follow the thresholds and hysteresis`
              : `${violations.length} readings break the rule, first: ${violations[0]!.co2} ppm showed ${violations[0]!.got}, spec ${violations[0]!.expected}`,
        },
        {
          ok: r.probes.length === 2 && r.probes.every((p) => p.held),
          say: `hysteresis bands probed: ${r.probes.map((p) => `${p.co2} ppm ${p.held ? "held" : "NOT held"}`).join(", ") || "none reached"}`,
        },
        {
          ok: ledMismatch === 0,
          say: `${ledMismatch} readings where the LED differed from the advert`,
        },
        {
          ok: loraReadings.length > 0 && unmatched.length === 0,
          say:
            `${loraReadings.length} LoRa readings (${aggregate === 1 ? "each a measured reading" : `averages of ${aggregate} readings`}), ${unmatched.length} not matching the measured ones` +
            (firstUnmatched
              ? `, first: ${firstUnmatched.co2 ?? "null"} ppm, expected ${firstUnmatched.expected ?? "a measured reading in its window"}${firstUnmatched.aggregate > 1 ? ` ± ${firstUnmatched.tolerance}` : ""}`
              : ""),
        },
        {
          ok: peakIncluded && endIncluded,
          say: `LoRa peak ${loraPeak ?? "none"} (measured ${peak}), last ${loraLast ?? "none"} ppm`,
        },
        {
          ok: loraSignals.has("red") && loraSignals.has("green"),
          say: `LoRa signals ${[...loraSignals].join(", ")}`,
        },
      ],
      {
        peakPpm: peak,
        readings: readings.length,
        violations: violations.length,
        loraUplinks: lora.length,
        loraReadings: loraReadings.length,
        loraAggregate: aggregate,
        loraPeakPpm: loraPeak ?? "none",
        loraLastPpm: loraLast ?? "none",
        fanPpmPerSecond: Math.round(r.fanPpmPerSecond * 10) / 10,
      },
    );
  },
};

/** One entry per reading (adverts repeat a reading until the next one). */
function dedupReadings(
  adverts: readonly HeardClassroom[],
): { at: number; co2: number; signal: string }[] {
  const out: { at: number; co2: number; signal: string; counter: number }[] = [];
  for (const h of adverts) {
    const last = out[out.length - 1];
    if (last && last.counter === h.advert.counter) continue;
    const co2 = h.advert.reading!.co2Ppm;
    if (last && last.co2 === co2 && last.signal === h.advert.status.signal) continue;
    out.push({ at: h.at, co2: co2, signal: h.advert.status.signal, counter: h.advert.counter });
  }
  return out;
}

/** Adverts whose signal the LED did not show 3 s later (the LED may lag the advert by a tick). */
function ledMismatches(r: Run, adverts: readonly HeardClassroom[]): number {
  let n = 0;
  let lastCounter = -1;
  for (const h of adverts) {
    if (h.advert.counter === lastCounter) continue;
    lastCounter = h.advert.counter;
    const sample = r.light.find((x) => x.at >= h.at + 3000);
    if (sample && sample.colour !== h.advert.status.signal) n++;
  }
  return n;
}

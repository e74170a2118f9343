// The demo fleet profile (`sources.sim.profile: demo`, used by `npm start`): what a school with
// bands that have been worn for a week looks like in the first two minutes. Pure functions of the
// device, the time and the moment the fleet started; fleet.ts encodes them into signed adverts.
//   - classrooms follow 50-minute cycles (a 40-minute lesson in which CO2 builds up, then the
//     windows are opened), each room with its own phase;
//   - the first classroom is in a long lesson: at the start it has been above the alert value
//     for 9 min 50 s, so the classroom-status rule (10 minutes above the alert value, unchanged)
//     raises "ventileer nu" about 20 s after the fleet starts, and clears ~11 minutes later;
//   - bands carry earlier days (1..BACKLOG_DAYS ago, final) in their backlog, one day per advert,
//     with a per-band typical day, so the organisation view has closed days to aggregate.

/** One demo cycle: a lesson and a break. */
export const DEMO_CYCLE_SECONDS = 3000;
/** Days a demo band repeats in its backlog (the firmware keeps 14; a week keeps the demo quick). */
export const DEMO_BACKLOG_DAYS = 7;
/**
 * Where in its cycle the long-lesson room is when the fleet starts (seconds). The curve passes
 * 1200 ppm (Bouwbesluit red, the example flows' alert value) at 0.48 of the cycle (1440 s), so
 * 2030 s means 590 s above it: the 10-minute rule fires with the live readings ~20 s later.
 */
export const LONG_LESSON_START_SECONDS = 2030;

/**
 * Where the other rooms are in their cycle at the start: orange, green, red (its alert follows
 * about 6.5 minutes later), green; none of them has been above the alert value for 10 minutes.
 */
const OTHER_ROOM_PHASES = [0.4, 0.1, 0.55, 0.92];

const LOW_PPM = 450;
const SPAN_PPM = 1250;

/** The cycle's shape: CO2 rises over 80 % of it (the lesson), falls in the rest (windows open). */
function cycleCo2(phase: number): number {
  const p = ((phase % 1) + 1) % 1;
  const level = p < 0.8 ? p / 0.8 : (1 - p) / 0.2;
  return Math.round(LOW_PPM + SPAN_PPM * level);
}

/**
 * CO2 of demo classroom number `index` (0 = the long-lesson room) at Unix time `t`, for a fleet
 * started at `startedAt`. Other rooms are spread over the cycle, so the board shows every colour.
 */
export function demoClassroomCo2(index: number, t: number, startedAt: number): number {
  const offset =
    index === 0
      ? LONG_LESSON_START_SECONDS
      : OTHER_ROOM_PHASES[(index - 1) % OTHER_ROOM_PHASES.length]! * DEMO_CYCLE_SECONDS;
  return cycleCo2((t - startedAt + offset) / DEMO_CYCLE_SECONDS);
}

/** A small deterministic hash in 0..1 of (a, b), for per-band, per-day variation. */
function unit(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
  return ((h ^ (h >>> 15)) >>> 0) / 0x100000000;
}

/**
 * Steps of demo band `id` on local day number `day`: a typical day between 4 000 and 12 000 steps
 * for this wearer, +-35 % from day to day, and now and then (1 day in 12) a day the band was not worn.
 */
export function demoDaySteps(id: number, day: number): number {
  const typical = 4000 + Math.round(unit(id, 0) * 8000);
  if (unit(id, day * 3 + 1) < 1 / 12) return 0;
  return Math.round(typical * (0.65 + 0.7 * unit(id, day * 3 + 2)));
}

/** The backlog day a demo band's advert with frame counter `counter` carries (1..BACKLOG_DAYS). */
export function demoBacklogDaysAgo(counter: number): number {
  return 1 + (counter % DEMO_BACKLOG_DAYS);
}

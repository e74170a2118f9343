// Shared observations for scenarios: the latest advert, waiting for a fresh one, and history
// (absolute day -> steps) as the band's adverts carry it.
import type { BandAdvert, ClassroomAdvert } from "@leiden-iot/protocol";
import type { HeardAdvert, HilContext } from "../rig/context.js";
import { pollUntil } from "../rig/poll.js";
import { NotRunError } from "../scenario/types.js";

export interface HeardBand extends HeardAdvert {
  advert: BandAdvert;
}
export interface HeardClassroom extends HeardAdvert {
  advert: ClassroomAdvert;
}

export function bandAdverts(ctx: HilContext, since = -Infinity): HeardBand[] {
  return ctx.air.heard().filter((h) => h.at >= since && h.advert.kind === "band") as HeardBand[];
}

export function classroomAdverts(ctx: HilContext, since = -Infinity): HeardClassroom[] {
  return ctx.air
    .heard()
    .filter((h) => h.at >= since && h.advert.kind === "classroom") as HeardClassroom[];
}

/** The first advert heard at or after `since`; NotRunError when the device stays silent. */
export async function nextAdvert<T extends HeardAdvert>(
  ctx: HilContext,
  pick: (ctx: HilContext, since: number) => T[],
  since: number,
  timeoutMs: number,
): Promise<T> {
  const h = await pollUntil(ctx.clock, timeoutMs, 500, () => pick(ctx, since)[0]);
  if (!h)
    throw new NotRunError(
      `the ${ctx.device.kind} (id ${ctx.device.deviceId}) sent no advert in ${Math.round(timeoutMs / 1000)} s`,
      `check that it is powered, provisioned with this key (npm run provision) and within range of the BLE adapter`,
    );
  return h;
}

/** The newest band advert heard up to now, by counter (adverts rotate backlog frames). */
export function newestBand(ctx: HilContext, since = -Infinity): HeardBand | undefined {
  let best: HeardBand | undefined;
  for (const h of bandAdverts(ctx, since))
    if (!best || h.advert.counter > best.advert.counter) best = h;
  return best;
}

/** History as heard since `since`: absolute local day -> steps (today's and backlog days). */
export function bandHistory(heard: readonly HeardBand[]): Map<number, number> {
  const days = new Map<number, { counter: number; steps: number }>();
  const put = (day: number, counter: number, steps: number) => {
    const cur = days.get(day);
    if (!cur || counter >= cur.counter) days.set(day, { counter: counter, steps: steps });
  };
  for (const h of heard) {
    const a = h.advert;
    put(a.day, a.counter, a.steps);
    if (a.backlog) put(a.day - a.backlog.daysAgo, a.counter, a.backlog.steps);
  }
  const out = new Map<number, number>();
  for (const [d, v] of days) out.set(d, v.steps);
  return out;
}

/** Lets the device run until its next pedometer read has surely happened (rig and sim alike). */
export const BAND_READ_SETTLE_MS = 11 * 60_000;

/**
 * Waits until just after a wall-clock multiple of the band's read interval (300 s), so a short
 * shake falls entirely between two reads and the next read sees all of it at once.
 */
export async function alignToRead(ctx: HilContext, deviceNowMs: () => number): Promise<void> {
  const period = 300_000;
  const phase = deviceNowMs() % period;
  const target = 5_000;
  const wait = (target - phase + period) % period;
  if (wait > 0) await ctx.clock.wait(wait);
}

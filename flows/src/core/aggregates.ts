// Organisation view: aggregates only, never one person's data. Pure.
//
// Privacy rules (enforced here, not left to configuration):
// - at least MIN_GROUP active participants, or nothing but "too few participants" is published
//   (config may raise the group, never lower it);
// - the median is rounded to the nearest STEP_ROUNDING steps, so with an odd group it is not one
//   person's exact count;
// - only closed days are aggregated (the input is daily-steps' day totals), and a real aggregate of
//   a date is published at most once per PUBLISH_INTERVAL, after a hold time that collects the
//   day's totals together, so one participant's report cannot be attributed by watching the output.
import { localDay, localDayFromIso, localDayStart } from "@leiden-iot/protocol";

export const MIN_GROUP = 5;
export const STEP_ROUNDING = 100;
/** Seconds between two real aggregates of the same date. */
export const PUBLISH_INTERVAL = 86400;

export type StepsAggregate =
  | { date: string; participantsActive: number; medianSteps: number; suppressed: false }
  | { date: string; suppressed: true };

/** The smallest group actually used: the configured one, never below MIN_GROUP. */
export function effectiveMinGroup(configured: number): number {
  return Number.isFinite(configured) ? Math.max(MIN_GROUP, Math.ceil(configured)) : MIN_GROUP;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const v = values.slice().sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

export function roundSteps(steps: number): number {
  return Math.round(steps / STEP_ROUNDING) * STEP_ROUNDING;
}

/**
 * Aggregates the day values `{pseudonym -> steps}` of one date. A participant counts as active
 * with at least `minSteps` steps. Below the smallest group (at least MIN_GROUP) neither the median
 * nor the number of participants is given.
 */
export function aggregateDay(
  date: string,
  stepsByPseudonym: Record<string, number>,
  minGroup: number = MIN_GROUP,
  minSteps = 1,
): StepsAggregate {
  const active = Object.keys(stepsByPseudonym)
    .map((k) => stepsByPseudonym[k]!)
    .filter((s) => s >= minSteps);
  if (active.length < effectiveMinGroup(minGroup)) return { date, suppressed: true };
  return {
    date,
    participantsActive: active.length,
    medianSteps: roundSteps(median(active)!),
    suppressed: false,
  };
}

export interface SummaryDay {
  /** pseudonym -> latest day total. */
  totals: Record<string, { steps: number; revision: number }>;
  /** Unix seconds of the first total not yet published, or null. */
  pendingSince: number | null;
  /** Unix seconds of the last real (not suppressed) aggregate, or null. */
  publishedAt: number | null;
  /** Whether "too few participants" was the last thing published. */
  suppressedSent: boolean;
}

export interface SummaryState {
  days: Record<string, SummaryDay>;
}

export interface SummaryOptions {
  minGroup: number;
  /** Seconds to collect a date's totals before its first real aggregate. */
  holdSeconds: number;
  /** Days kept, counted back from the current local day. */
  keepDays: number;
}

export function emptySummary(): SummaryState {
  return { days: {} };
}

export interface DayTotalIn {
  pseudonym: string;
  date: string;
  steps: number;
  revision: number;
}

/** Records one closed-day total (newest revision wins). Publishes nothing. Mutates `s`. */
export function recordTotal(
  s: SummaryState,
  t: DayTotalIn,
  now: number,
  keepDays: number,
): boolean {
  const day = localDayFromIso(t.date);
  if (day === null) return false;
  if (day < localDay(now) - keepDays) return false;
  const d = (s.days[t.date] ??= {
    totals: {},
    pendingSince: null,
    publishedAt: null,
    suppressedSent: false,
  });
  const prev = d.totals[t.pseudonym];
  if (prev && prev.revision >= t.revision) return false;
  d.totals[t.pseudonym] = { steps: t.steps, revision: t.revision };
  if (d.pendingSince === null) d.pendingSince = now;
  return true;
}

/**
 * Aggregates due at `now` (Unix seconds). A date is published only when its local day is over,
 * with pending totals, after the hold time; a real aggregate at most once per PUBLISH_INTERVAL.
 * "Too few participants" reveals nothing and is sent once when it becomes the state. Also drops
 * dates older than `keepDays`. Mutates `s`.
 */
export function duePublications(s: SummaryState, now: number, o: SummaryOptions): StepsAggregate[] {
  const out: StepsAggregate[] = [];
  const today = localDay(now);
  for (const date of Object.keys(s.days).sort()) {
    const d = s.days[date]!;
    const day = localDayFromIso(date);
    if (day === null || day < today - o.keepDays) {
      delete s.days[date];
      continue;
    }
    if (d.pendingSince === null) continue;
    if (now < localDayStart(day + 1)) continue;
    const steps: Record<string, number> = {};
    for (const p of Object.keys(d.totals)) steps[p] = d.totals[p]!.steps;
    const agg = aggregateDay(date, steps, o.minGroup);
    if (agg.suppressed && d.publishedAt === null) {
      // nothing real was published yet: "too few" reveals nothing, say it once
      if (!d.suppressedSent) out.push(agg);
      d.suppressedSent = true;
      continue;
    }
    if (now < d.pendingSince + Math.max(0, o.holdSeconds)) continue;
    if (d.publishedAt !== null && now < d.publishedAt + PUBLISH_INTERVAL) continue;
    out.push(agg);
    d.publishedAt = now;
    d.pendingSince = null;
    d.suppressedSent = false;
  }
  return out;
}

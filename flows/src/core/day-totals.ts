// Daily step totals per pseudonym and local day (Europe/Amsterdam). Pure: the caller stores the
// state (Node-RED persistent context) and passes it back in.
//
// Rules: the latest report wins (by receive time, then frame counter); a final day from a band's
// backlog beats any non-final report of that day; a message id seen before is ignored. A day is
// "closed" once a final value arrives or the local day has ended plus a grace period; closing emits
// the day total with revision 1, and every later change to a closed day emits the corrected total
// with the next revision.
import { localDayFromIso, localDayStart } from "@leiden-iot/protocol";

export interface DayEntry {
  steps: number;
  final: boolean;
  receivedAt: number;
  counter: number;
  /** Revision of the last emitted total; 0 = not yet emitted. */
  revision: number;
  /** Steps of the last emitted total. */
  emittedSteps: number | null;
}

export interface ParticipantState {
  days: Record<string, DayEntry>;
  /** Recent message ids, oldest first. */
  seen: string[];
}

export interface BandReportIn {
  pseudonym: string;
  messageId: string;
  receivedAt: number;
  counter: number | null;
  days: { date: string; steps: number; final: boolean }[];
}

export interface DayTotal {
  pseudonym: string;
  date: string;
  steps: number;
  revision: number;
  final: boolean;
  previousSteps: number | null;
  receivedAt: number;
}

export interface DayUpdate {
  pseudonym: string;
  date: string;
  steps: number;
  final: boolean;
  receivedAt: number;
}

export interface Options {
  /** Seconds after local midnight before a day counts as over. */
  graceSeconds: number;
  /** Days kept per participant (counted back from the newest). */
  keepDays: number;
  /** Message ids kept per participant for duplicate detection. */
  keepMessageIds: number;
}

export const DEFAULT_OPTIONS: Options = { graceSeconds: 3600, keepDays: 40, keepMessageIds: 500 };

export function emptyParticipant(): ParticipantState {
  return { days: {}, seen: [] };
}

function newer(a: { receivedAt: number; counter: number }, b: DayEntry): boolean {
  if (a.receivedAt !== b.receivedAt) return a.receivedAt > b.receivedAt;
  return a.counter > b.counter;
}

/** Unix seconds at which a local day counts as over. */
export function dayCloseTime(date: string, graceSeconds: number): number | null {
  const d = localDayFromIso(date);
  return d === null ? null : localDayStart(d + 1) + graceSeconds;
}

function closable(date: string, e: DayEntry, now: number, o: Options): boolean {
  if (e.final) return true;
  const close = dayCloseTime(date, o.graceSeconds);
  return close !== null && now >= close;
}

function emit(pseudonym: string, date: string, e: DayEntry): DayTotal {
  const previous = e.emittedSteps;
  e.revision += 1;
  e.emittedSteps = e.steps;
  return {
    pseudonym,
    date,
    steps: e.steps,
    revision: e.revision,
    final: e.final,
    previousSteps: previous,
    receivedAt: e.receivedAt,
  };
}

/** Emits totals of days that are over and not yet emitted, or changed since. Mutates `s`. */
function settle(pseudonym: string, s: ParticipantState, now: number, o: Options): DayTotal[] {
  const out: DayTotal[] = [];
  for (const date of Object.keys(s.days).sort()) {
    const e = s.days[date]!;
    if (!closable(date, e, now, o)) continue;
    if (e.revision === 0 || e.emittedSteps !== e.steps) out.push(emit(pseudonym, date, e));
  }
  return out;
}

function prune(s: ParticipantState, o: Options): void {
  const dates = Object.keys(s.days).sort();
  for (let i = 0; i < dates.length - o.keepDays; i++) delete s.days[dates[i]!];
  if (s.seen.length > o.keepMessageIds) s.seen = s.seen.slice(s.seen.length - o.keepMessageIds);
}

export interface ApplyResult {
  state: ParticipantState;
  duplicate: boolean;
  /** Days whose current value changed (for live views). */
  updates: DayUpdate[];
  /** Day totals to send on (closed days, first or corrected). */
  totals: DayTotal[];
}

/** Applies one band report at wall-clock time `now` (Unix seconds). */
export function applyReport(
  before: ParticipantState,
  r: BandReportIn,
  now: number,
  o: Options = DEFAULT_OPTIONS,
): ApplyResult {
  const s: ParticipantState = JSON.parse(JSON.stringify(before)) as ParticipantState;
  if (s.seen.indexOf(r.messageId) >= 0)
    return { state: before, duplicate: true, updates: [], totals: [] };
  s.seen.push(r.messageId);
  const incoming = { receivedAt: r.receivedAt, counter: r.counter ?? 0 };
  const updates: DayUpdate[] = [];
  for (const d of r.days) {
    const e = s.days[d.date];
    let take: boolean;
    if (!e) take = true;
    else if (e.final && !d.final) take = false;
    else if (d.final && !e.final) take = true;
    else take = newer(incoming, e);
    if (!take) continue;
    const next: DayEntry = {
      steps: d.steps,
      final: d.final || (e ? e.final : false),
      receivedAt: r.receivedAt,
      counter: incoming.counter,
      revision: e ? e.revision : 0,
      emittedSteps: e ? e.emittedSteps : null,
    };
    s.days[d.date] = next;
    if (!e || e.steps !== next.steps || e.final !== next.final)
      updates.push({
        pseudonym: r.pseudonym,
        date: d.date,
        steps: d.steps,
        final: next.final,
        receivedAt: r.receivedAt,
      });
  }
  const totals = settle(r.pseudonym, s, now, o);
  prune(s, o);
  return { state: s, duplicate: false, updates, totals };
}

/** Closes days that ended since the last report (call from a timer). */
export function closeDays(
  pseudonym: string,
  before: ParticipantState,
  now: number,
  o: Options = DEFAULT_OPTIONS,
): { state: ParticipantState; totals: DayTotal[] } {
  const s: ParticipantState = JSON.parse(JSON.stringify(before)) as ParticipantState;
  const totals = settle(pseudonym, s, now, o);
  return { state: totals.length ? s : before, totals };
}

// Daily step totals per pseudonym and local day (Europe/Amsterdam). Pure: the caller stores the
// state (Node-RED persistent context) and passes it back in.
//
// Rules: the band's latest value of a day wins, by the band's own frame counter (strictly
// increasing per band, never reused, the same in every gateway's copy); receive time decides only
// between reports without a counter, since gateways' clocks differ and copies arrive in any order.
// A final day from a band's backlog beats any non-final report of that day; a message id seen
// before is ignored (several gateways hearing one frame give it one id). A day is
// "closed" once a final value arrives or the local day has ended plus a grace period; closing emits
// the day total with revision 1, and every later change to a closed day emits the corrected total
// with the next revision.
//
// Pruning is by age, relative to the current local day: a day older than `keepDays` is dropped,
// and a report about such a day (or about a day more than one day ahead: a band whose clock is not
// set) is ignored and counted, never re-created. keepDays is at least MIN_KEEP_DAYS, more than the
// band's backlog, so a backlog day can never come back after it was pruned and be sent again.
import { localDay, localDayFromIso, localDayStart } from "@leiden-iot/protocol";

/** Band history (14 days) + today + margin. */
export const MIN_KEEP_DAYS = 16;

export interface DayEntry {
  steps: number;
  final: boolean;
  receivedAt: number;
  /** The band's frame counter of the value; null when the report had none. */
  counter: number | null;
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
  /** Days kept, counted back from the current local day (at least MIN_KEEP_DAYS). */
  keepDays: number;
  /** Message ids kept per participant for duplicate detection. */
  keepMessageIds: number;
}

export const DEFAULT_OPTIONS: Options = { graceSeconds: 3600, keepDays: 40, keepMessageIds: 500 };

export function emptyParticipant(): ParticipantState {
  return { days: {}, seen: [] };
}

/**
 * True when value a of a day is the band's later one than b: the higher frame counter. Receive
 * time (a gateway's clock) only when a counter is missing or both are the same frame.
 */
function newer(
  a: { receivedAt: number; counter: number | null },
  b: { receivedAt: number; counter: number | null },
): boolean {
  if (a.counter !== null && b.counter !== null && a.counter !== b.counter)
    return a.counter > b.counter;
  return a.receivedAt > b.receivedAt;
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

/** The oldest local day kept at `now`. */
export function oldestKeptDay(now: number, o: Options): number {
  return localDay(now) - Math.max(MIN_KEEP_DAYS, Math.floor(o.keepDays)) + 1;
}

/** Why a reported day is not taken, or null when it is taken. */
function outOfRange(date: string, now: number, o: Options): "old" | "future" | null {
  const day = localDayFromIso(date);
  if (day === null || day < oldestKeptDay(now, o)) return "old";
  if (day > localDay(now) + 1) return "future";
  return null;
}

function prune(s: ParticipantState, now: number, o: Options): boolean {
  const oldest = oldestKeptDay(now, o);
  let changed = false;
  for (const date of Object.keys(s.days)) {
    const day = localDayFromIso(date);
    if (day === null || day < oldest) {
      delete s.days[date];
      changed = true;
    }
  }
  if (s.seen.length > o.keepMessageIds) s.seen = s.seen.slice(s.seen.length - o.keepMessageIds);
  return changed;
}

export interface ApplyResult {
  state: ParticipantState;
  duplicate: boolean;
  /** Days whose current value changed (for live views). */
  updates: DayUpdate[];
  /** Day totals to send on (closed days, first or corrected). */
  totals: DayTotal[];
  /** Reported days ignored: older than the pruning horizon, or too far in the future. */
  ignored: { date: string; reason: "old" | "future" }[];
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
    return { state: before, duplicate: true, updates: [], totals: [], ignored: [] };
  s.seen.push(r.messageId);
  const incoming = { receivedAt: r.receivedAt, counter: r.counter };
  const updates: DayUpdate[] = [];
  const ignored: ApplyResult["ignored"] = [];
  for (const d of r.days) {
    const reason = outOfRange(d.date, now, o);
    if (reason) {
      ignored.push({ date: d.date, reason });
      continue;
    }
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
  prune(s, now, o);
  return { state: s, duplicate: false, updates, totals, ignored };
}

/** Closes days that ended since the last report and drops old days (call from a timer). */
export function closeDays(
  pseudonym: string,
  before: ParticipantState,
  now: number,
  o: Options = DEFAULT_OPTIONS,
): { state: ParticipantState; totals: DayTotal[] } {
  const s: ParticipantState = JSON.parse(JSON.stringify(before)) as ParticipantState;
  const totals = settle(pseudonym, s, now, o);
  const pruned = prune(s, now, o);
  return { state: totals.length || pruned ? s : before, totals };
}

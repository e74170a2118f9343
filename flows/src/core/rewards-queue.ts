// The outgoing queue of day totals for the rewards API. Pure: what to send next, when to retry,
// and what an HTTP answer means. The node keeps the queue in persistent context.
import { backoffDelay } from "@leiden-iot/protocol";

export interface QueueItem {
  key: string;
  pseudonym: string;
  date: string;
  revision: number;
  body: Record<string, unknown>;
  attempts: number;
  /** Unix ms before which the item is not tried again. */
  notBefore: number;
  lastError: string | null;
}

export interface Backoff {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1000, maxMs: 5 * 60 * 1000 };

export interface DayTotalLike {
  pseudonym: string;
  date: string;
  revision: number;
  steps: number;
  final?: boolean;
}

const UUIDISH = /^[0-9a-zA-Z-]{1,64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Idempotency key of one day total: the same total is always sent under the same key. */
export function idempotencyKey(t: { pseudonym: string; date: string; revision: number }): string {
  return t.pseudonym + ":" + t.date + ":r" + t.revision;
}

/** Checks a day total; returns an error text or null. */
export function checkDayTotal(t: unknown): string | null {
  if (!t || typeof t !== "object") return "payload must be a day total object";
  const o = t as Record<string, unknown>;
  if (typeof o.pseudonym !== "string" || !UUIDISH.test(o.pseudonym))
    return "pseudonym missing or invalid";
  if (typeof o.date !== "string" || !DATE.test(o.date)) return "date must be YYYY-MM-DD";
  if (!Number.isInteger(o.revision) || (o.revision as number) < 1)
    return "revision must be an integer >= 1";
  if (!Number.isInteger(o.steps) || (o.steps as number) < 0) return "steps must be an integer >= 0";
  return null;
}

/**
 * Adds a day total. A queued, older revision of the same day is replaced (the API only needs the
 * newest); a revision at or below one already queued is ignored.
 */
export function enqueue(queue: QueueItem[], t: DayTotalLike, nowMs: number): QueueItem[] {
  const same = queue.filter((q) => q.pseudonym === t.pseudonym && q.date === t.date);
  if (same.some((q) => q.revision >= t.revision)) return queue;
  const rest = queue.filter((q) => !(q.pseudonym === t.pseudonym && q.date === t.date));
  const item: QueueItem = {
    key: idempotencyKey(t),
    pseudonym: t.pseudonym,
    date: t.date,
    revision: t.revision,
    body: {
      pseudonym: t.pseudonym,
      date: t.date,
      steps: t.steps,
      revision: t.revision,
      final: t.final === true,
    },
    attempts: 0,
    notBefore: nowMs,
    lastError: null,
  };
  return rest.concat([item]);
}

/** The next item due at `nowMs`, oldest first, or null. */
export function nextDue(queue: QueueItem[], nowMs: number): QueueItem | null {
  for (const q of queue) if (q.notBefore <= nowMs) return q;
  return null;
}

/** Milliseconds until the earliest item is due (0 if one is due now), or null for an empty queue. */
export function msUntilDue(queue: QueueItem[], nowMs: number): number | null {
  if (queue.length === 0) return null;
  let min = Infinity;
  for (const q of queue) min = Math.min(min, q.notBefore - nowMs);
  return Math.max(0, min);
}

/** Delay before the next try after `attempts` failed ones: protocol's backoff rule, `random` 0..1. */
export function retryDelay(attempts: number, b: Backoff, random: number): number {
  return backoffDelay(attempts - 1, b.baseMs, b.maxMs, () => random);
}

export type Outcome =
  | { kind: "accepted" }
  | { kind: "retry"; reason: string; retryAfterMs: number | null }
  | { kind: "refused"; reason: string };

/**
 * What an answer means, under the IETF Idempotency-Key draft: 2xx accepted (a repeat of a key
 * the API already has is answered with the stored 2xx); 409 (a request with this key is still in
 * progress), 408, 425, 429, 5xx and network errors are retried with backoff; other 4xx, including
 * 422 (key reused with a different body), are refused and never retried.
 */
export function classify(
  status: number | null,
  error: string | null,
  retryAfter?: string | null,
): Outcome {
  if (status === null) return { kind: "retry", reason: error ?? "no answer", retryAfterMs: null };
  if (status >= 200 && status < 300) return { kind: "accepted" };
  let ra: number | null = null;
  if (retryAfter && /^\d+$/.test(retryAfter)) ra = parseInt(retryAfter, 10) * 1000;
  if (status === 408 || status === 409 || status === 425 || status === 429 || status >= 500)
    return { kind: "retry", reason: "HTTP " + status, retryAfterMs: ra };
  return { kind: "refused", reason: "HTTP " + status };
}

/** The queue after an attempt on `key`. */
export function afterAttempt(
  queue: QueueItem[],
  key: string,
  outcome: Outcome,
  nowMs: number,
  b: Backoff,
  random: number,
): QueueItem[] {
  if (outcome.kind !== "retry") return queue.filter((q) => q.key !== key);
  return queue.map((q) => {
    if (q.key !== key) return q;
    const attempts = q.attempts + 1;
    const delay = Math.max(retryDelay(attempts, b, random), outcome.retryAfterMs ?? 0);
    return Object.assign({}, q, { attempts, notBefore: nowMs + delay, lastError: outcome.reason });
  });
}

// Errors are values at the edges: every LoRa parser returns protocol's Result (a value or a
// rejection whose reason is counted), never an exception. This file: counting and logging them.

/** Counts rejections by reason, for health, metrics and tests. */
export class RejectionCounts {
  private readonly counts = new Map<string, number>();
  add(reason: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
  }
  get(reason: string): number {
    return this.counts.get(reason) ?? 0;
  }
  total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** The first zod issue as "json.path: message", for a rejection's detail. */
export function zodProblem(
  error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] },
  root = "$",
): string {
  const issue = error.issues[0];
  if (!issue) return `${root}: invalid`;
  let path = root;
  for (const p of issue.path) path += typeof p === "number" ? `[${p}]` : `.${String(p)}`;
  return `${path}: ${issue.message}`;
}

/** The logging a source needs (pino's Logger satisfies it). */
export interface SourceLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

export const silentLog: SourceLog = { info() {}, warn() {}, error() {} };

/**
 * Counts each rejection (and reports it to `onReject`, the gateway's labelled metric) and logs
 * it: a warning at most once per reason per interval, naming only the reason and how many were
 * not logged in between; the detail (which may name a DevEUI) at debug level, every time.
 */
export class RejectionLog {
  readonly counts = new RejectionCounts();
  private readonly lastLogged = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly log: SourceLog,
    private readonly source: string,
    private readonly intervalMs = 10_000,
    private readonly onReject: (reason: string) => void = () => {},
  ) {}

  record(reason: string, detail: string, context: object = {}, nowMs = Date.now()): void {
    this.counts.add(reason);
    this.onReject(reason);
    this.log.debug?.({ reason, detail, ...context }, this.source + " frame rejected");
    const last = this.lastLogged.get(reason);
    if (last && nowMs - last.at < this.intervalMs) {
      last.suppressed++;
      return;
    }
    this.lastLogged.set(reason, { at: nowMs, suppressed: 0 });
    this.log.warn(
      { reason, suppressed: last?.suppressed ?? 0 },
      this.source + " frame rejected (details at log level debug)",
    );
  }
}

/**
 * A disposition that means "not stored, try again later": the gateway's emit reports a failed
 * outbox write as a rejection with reason store_failed (or throws). Sources that acknowledge
 * (PUSH_ACK, PUBACK) must not acknowledge it, nor count the frame's counter as used.
 */
export function notStored(d: { status: string; reason?: string }): boolean {
  return d.status === "rejected" && d.reason === "store_failed";
}

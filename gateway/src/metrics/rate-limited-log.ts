// Logs a rejection at most once per reason per interval, with how many were suppressed.
import type { Logger } from "pino";

export class RateLimitedLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly log: Logger,
    private readonly intervalMs = 10_000,
    private readonly now = () => Date.now(),
  ) {}

  warn(key: string, obj: Record<string, unknown>, msg: string): boolean {
    const t = this.now();
    const s = this.last.get(key);
    if (s && t - s.at < this.intervalMs) {
      s.suppressed++;
      return false;
    }
    this.log.warn({ ...obj, suppressedSinceLast: s?.suppressed ?? 0 }, msg);
    this.last.set(key, { at: t, suppressed: 0 });
    return true;
  }
}

// Virtual time for the simulator: one queue for the device's timers and the simulated world's
// events, so a week runs in seconds and every run is deterministic.

export interface Scheduled {
  id: number;
  at: number; // virtual ms (unix epoch based, the "true" world time)
  fn: () => void;
  every: number; // 0 = one-shot
  owner: "device" | "world";
}

export class Scheduler {
  now: number;
  private queue: Scheduled[] = [];
  private nextId = 1;
  /** Errors thrown by device callbacks (Espruino prints them and carries on; so do we). */
  readonly errors: { at: number; message: string }[] = [];

  constructor(startMs: number) {
    this.now = startMs;
  }

  add(delayMs: number, fn: () => void, every: number, owner: "device" | "world"): number {
    const d = Math.max(0, delayMs);
    const s: Scheduled = { id: this.nextId++, at: this.now + d, fn, every, owner };
    this.queue.push(s);
    return s.id;
  }

  cancel(id: number): void {
    this.queue = this.queue.filter((s) => s.id !== id);
  }

  /** Drops every device timer (power cut: RAM and timers are gone). */
  clearDevice(): void {
    this.queue = this.queue.filter((s) => s.owner !== "device");
  }

  deviceTimers(): number {
    return this.queue.filter((s) => s.owner === "device").length;
  }

  /** Runs everything due up to now + ms, in time order (FIFO for equal times). */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let best: Scheduled | null = null;
      for (const s of this.queue) if (s.at <= end && (!best || s.at < best.at)) best = s;
      if (!best) break;
      this.now = best.at;
      if (best.every > 0) best.at += best.every;
      else this.queue.splice(this.queue.indexOf(best), 1);
      try {
        best.fn();
      } catch (e) {
        this.errors.push({ at: this.now, message: describeError(e) });
      }
    }
    this.now = end;
  }
}

/** Message plus the first stack frame: a minified bundle is one long line, never print it. */
export function describeError(e: unknown): string {
  const err = e as Error;
  if (!err || typeof err.message !== "string") return String(e);
  const stack = String(err.stack || "").split("\n");
  const at = stack.length > 1 ? stack[1]!.trim().substring(0, 200) : "";
  return err.message + (at ? " (" + at + ")" : "");
}

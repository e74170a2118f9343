// The device's clock on the world's scheduler: its RTC (an offset from world time, set by the
// firmware, jumped by a test, restarted from 0 by a power loss) and its timers (setTimeout and
// setInterval, lost with RAM).
import type { Scheduler } from "./scheduler.js";

export class DeviceClock {
  private rtcOffsetMs = 0;
  private timerIds: Record<number, number> = {};
  private nextTimer = 1;

  constructor(private readonly sched: Scheduler) {}

  /** The RTC, unix ms. */
  nowMs(): number {
    return this.sched.now + this.rtcOffsetMs;
  }
  /** setTime(t): the RTC reads t (unix seconds) from now on. */
  set(unixSeconds: number): void {
    this.rtcOffsetMs = unixSeconds * 1000 - this.sched.now;
  }
  /** A clock jump: the RTC reads deltaSeconds more (or less) than before. */
  jump(deltaSeconds: number): void {
    this.rtcOffsetMs += deltaSeconds * 1000;
  }
  /** Power loss: the RTC restarts from 0. */
  restart(): void {
    this.rtcOffsetMs = -this.sched.now;
  }

  addTimer(ms: number, fn: () => void, repeat: boolean): number {
    const id = this.nextTimer++;
    this.timerIds[id] = this.sched.add(ms, fn, repeat ? Math.max(1, ms) : 0, "device");
    return id;
  }
  cancelTimer(id: number): void {
    const s = this.timerIds[id];
    if (s !== undefined) this.sched.cancel(s);
    delete this.timerIds[id];
  }
  /** RAM lost (power cut, load()): every device timer and scan callback is gone. */
  clearTimers(): void {
    this.sched.clearDevice();
    this.timerIds = {};
  }
}

// Virtual test time for the simulator. Every wait() registers a deadline; one driver advances the
// world to the earliest deadline in steps of at most a second, letting the world react after each
// step (radio frames to the gateway, which gets the real time it needs). Several loops may wait at
// once (e.g. shaking while watching the LED) and see one consistent clock.
import type { TestClock } from "../rig/context.js";

export interface World {
  /** Virtual unix ms. */
  now(): number;
  /** Runs the simulated world for ms (≤ the step). */
  advance(ms: number): void;
  /** After each step: deliver what happened (may take real time, never virtual time). */
  settle(): Promise<void>;
}

const STEP_MS = 1000;

export class SimClock implements TestClock {
  private waiters: { target: number; resolve: () => void }[] = [];
  private driving = false;

  constructor(private readonly world: World) {}

  now(): number {
    return this.world.now();
  }

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ target: this.world.now() + Math.max(0, ms), resolve: resolve });
      if (!this.driving) {
        this.driving = true;
        setImmediate(() => void this.drive());
      }
    });
  }

  private async drive(): Promise<void> {
    try {
      while (this.waiters.length > 0) {
        const target = Math.min(...this.waiters.map((w) => w.target));
        while (this.world.now() < target) {
          this.world.advance(Math.min(STEP_MS, target - this.world.now()));
          await this.world.settle();
        }
        const due = this.waiters.filter((w) => w.target <= this.world.now());
        this.waiters = this.waiters.filter((w) => w.target > this.world.now());
        for (const w of due) w.resolve();
        // Let the woken loops run and register their next waits before choosing the next target.
        await new Promise<void>((r) => setImmediate(r));
      }
    } finally {
      this.driving = false;
    }
  }
}

// Waiting on the test clock: in the simulator each step advances virtual time (the device runs),
// on the rig it sleeps. Returns the first truthy value, or null at the deadline.
import type { TestClock } from "./context.js";

export async function pollUntil<T>(
  clock: TestClock,
  timeoutMs: number,
  stepMs: number,
  check: () => T | null | undefined | false,
): Promise<T | null> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (clock.now() >= deadline) return null;
    await clock.wait(Math.min(stepMs, Math.max(1, deadline - clock.now())));
  }
}

/** The wall clock, for the rig. */
export const wallClock: TestClock = {
  now: () => Date.now(),
  wait: (ms) => new Promise((r) => setTimeout(r, ms)),
};

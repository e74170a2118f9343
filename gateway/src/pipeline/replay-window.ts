// Per-device replay window over a 32-bit frame counter (the IPsec/DTLS sliding window): a counter
// above the highest seen is new; one at or below it is a duplicate if already seen, new if inside
// the window and not yet seen, and a replay if older than the window. Pure; state is persisted by
// the outbox transaction that stores the accepted frame.
import type { CounterState } from "../store/frame-counters.js";

export type WindowVerdict =
  | { verdict: "new"; next: CounterState }
  | { verdict: "duplicate" }
  | { verdict: "replayed"; highest: number };

const MASK64 = (1n << 64n) - 1n;

export function checkCounter(
  state: CounterState | undefined,
  counter: number,
  windowSize: number,
): WindowVerdict {
  if (!state) return { verdict: "new", next: { counter: counter, window: 0n } };
  const high = state.counter;
  if (counter > high) {
    const shift = counter - high;
    const window =
      shift > 64 ? 0n : ((state.window << BigInt(shift)) | (1n << BigInt(shift - 1))) & MASK64;
    return { verdict: "new", next: { counter: counter, window: window } };
  }
  if (counter === high) return { verdict: "duplicate" };
  const back = high - counter; // 1..
  if (back > windowSize) return { verdict: "replayed", highest: high };
  const bit = 1n << BigInt(back - 1);
  if (state.window & bit) return { verdict: "duplicate" };
  return { verdict: "new", next: { counter: high, window: state.window | bit } };
}

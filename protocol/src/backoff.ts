// The project's one retry rule: exponential backoff with full jitter, capped. Used by the gateway
// (broker reconnects, refused publishes) and the Node-RED rewards queue. Espruino-safe.

/**
 * Delay in ms before retry `attempt` (0 = the first retry): a uniformly random point between
 * minMs and min(maxMs, minMs * 2^attempt), `random` giving 0..1. Full jitter spreads many clients
 * that failed together (every gateway of a region after a broker restart) over the window.
 */
export function backoffDelay(
  attempt: number,
  minMs: number,
  maxMs: number,
  random?: () => number,
): number {
  const draw = random ? random() : Math.random(); // no default parameters on Espruino
  const ceiling = Math.min(maxMs, minMs * Math.pow(2, Math.min(Math.max(attempt, 0), 20)));
  return Math.round(minMs + draw * (ceiling - minMs));
}

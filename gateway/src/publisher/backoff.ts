// Exponential backoff with full jitter, capped: the delay before reconnect attempt n.
export function backoffDelay(
  attempt: number,
  minMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 20));
  return Math.round(minMs + random() * (ceiling - minMs));
}

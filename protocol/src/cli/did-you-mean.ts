// "Did you mean ...?" for names a user typed: CLI options, config keys, environment variables.
// Node-only helpers live under src/cli/ (the `@leiden-iot/protocol/cli` export), never in the
// Espruino-safe `device` entry.

/** Edit distance (insert, delete, substitute, swap of neighbours), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = [];
  for (let i = 0; i <= s.length; i++) d.push([i, ...new Array<number>(t.length).fill(0)]);
  for (let j = 0; j <= t.length; j++) d[0]![j] = j;
  for (let i = 1; i <= s.length; i++)
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[s.length]![t.length]!;
}

/**
 * The candidate nearest to `word`, if it is near enough to be a typo (at most a third of the
 * word's letters wrong, at least one allowed), or one that starts with what was typed.
 */
export function nearestName(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const dist = editDistance(word, c);
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  const allowed = Math.max(1, Math.floor(word.length / 3));
  if (best !== undefined && bestDistance <= allowed) return best;
  const lower = word.toLowerCase();
  if (lower.length >= 3) return candidates.find((c) => c.toLowerCase().startsWith(lower));
  return undefined;
}

/** ' (did you mean "broker"?)' or "" when nothing is near. */
export function didYouMean(
  word: string,
  candidates: readonly string[],
  show: (c: string) => string = (c) => JSON.stringify(c),
): string {
  const n = nearestName(word, candidates);
  return n === undefined ? "" : ` (did you mean ${show(n)}?)`;
}

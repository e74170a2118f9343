// Organisation view: aggregates only, never one person's data. Pure.

export interface StepsAggregate {
  date: string;
  participantsActive: number;
  medianSteps: number | null;
  /** True when too few participants were active to show a median without exposing someone. */
  suppressed: boolean;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const v = values.slice().sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : Math.round((v[mid - 1]! + v[mid]!) / 2);
}

/**
 * Aggregates the current day values `{pseudonym -> steps}` of one date. A participant counts as
 * active with at least `minSteps` steps. Below `minGroup` active participants the median is
 * suppressed (k-anonymity), so a small team cannot read one colleague's steps.
 */
export function aggregateDay(
  date: string,
  stepsByPseudonym: Record<string, number>,
  minGroup: number,
  minSteps = 1,
): StepsAggregate {
  const active = Object.keys(stepsByPseudonym)
    .map((k) => stepsByPseudonym[k]!)
    .filter((s) => s >= minSteps);
  const suppressed = active.length < minGroup;
  return {
    date,
    participantsActive: active.length,
    medianSteps: suppressed ? null : median(active),
    suppressed,
  };
}

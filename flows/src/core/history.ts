// Classroom history for the dashboard: rows in, a per-classroom snapshot with a downsampled
// 24-hour series out. Pure; the SQLite adapter lives in src/store/.
import { adviceBoth, type AdviceKey } from "./advice.js";

export interface HistoryRow {
  pseudonym: string;
  time: number;
  co2Ppm: number | null;
  temperature: number | null;
  humidity: number | null;
  signal: string;
  /** The sustained-exceedance alert was on at this reading. */
  alerting?: boolean;
}

export interface ClassroomSnapshot {
  pseudonym: string;
  /** The name (Dutch first). */
  name: string;
  /** The name in each dashboard language. */
  label: { nl: string; en: string };
  time: number;
  signal: string;
  co2Ppm: number | null;
  temperature: number | null;
  humidity: number | null;
  /** [unix seconds, ppm] per bucket, oldest first. */
  series: [number, number][];
  alerting: boolean;
  advice: { nl: string; en: string };
}

const SIGNALS = ["green", "orange", "red", "none"];

/** A configured classroom name: one for every language, or one per language. */
export type RoomName = string | { nl?: string; en?: string };

/** Shortest key prefix that names a classroom (keys may be a pseudonym's first characters). */
export const NAME_PREFIX_MIN = 8;

function configuredName(pseudonym: string, names: Record<string, RoomName>): RoomName | undefined {
  if (names[pseudonym] !== undefined) return names[pseudonym];
  for (const k of Object.keys(names))
    if (k.length >= NAME_PREFIX_MIN && pseudonym.indexOf(k) === 0) return names[k];
  return undefined;
}

const text = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/**
 * A classroom's name in both languages: the configured one (by pseudonym or a prefix of at least
 * NAME_PREFIX_MIN characters), else "Lokaal"/"Classroom" and the pseudonym's first characters.
 */
export function classroomLabel(
  pseudonym: string,
  names: Record<string, RoomName>,
): { nl: string; en: string } {
  const n = configuredName(pseudonym, names);
  const short = pseudonym.substring(0, 4);
  if (typeof n === "string" && text(n)) return { nl: text(n)!, en: text(n)! };
  const o = n && typeof n === "object" ? n : {};
  const nl = text(o.nl) ?? text(o.en);
  const en = text(o.en) ?? text(o.nl);
  return { nl: nl ?? "Lokaal " + short, en: en ?? "Classroom " + short };
}

/** Name for a classroom (Dutch first): see classroomLabel. */
export function classroomName(pseudonym: string, names: Record<string, RoomName>): string {
  return classroomLabel(pseudonym, names).nl;
}

/** Mean CO2 per bucket of `bucketSeconds`, oldest first; rows without CO2 are skipped. */
export function downsample(rows: HistoryRow[], bucketSeconds: number): [number, number][] {
  const sums = new Map<number, { sum: number; n: number }>();
  for (const r of rows) {
    if (r.co2Ppm === null) continue;
    const b = Math.floor(r.time / bucketSeconds) * bucketSeconds;
    const s = sums.get(b) ?? { sum: 0, n: 0 };
    s.sum += r.co2Ppm;
    s.n += 1;
    sums.set(b, s);
  }
  return Array.from(sums.entries())
    .sort((a, b) => a[0] - b[0])
    .map(([t, s]) => [t, Math.round(s.sum / s.n)] as [number, number]);
}

/** Snapshot of every classroom seen in `rows` (any order), sorted by name. */
export function snapshot(
  rows: HistoryRow[],
  names: Record<string, RoomName>,
  bucketSeconds: number,
): ClassroomSnapshot[] {
  const by = new Map<string, HistoryRow[]>();
  for (const r of rows) {
    const list = by.get(r.pseudonym) ?? [];
    list.push(r);
    by.set(r.pseudonym, list);
  }
  const out: ClassroomSnapshot[] = [];
  for (const [pseudonym, list] of by) {
    list.sort((a, b) => a.time - b.time);
    const last = list[list.length - 1]!;
    out.push({
      pseudonym,
      name: classroomName(pseudonym, names),
      label: classroomLabel(pseudonym, names),
      time: last.time,
      signal: last.signal,
      co2Ppm: last.co2Ppm,
      temperature: last.temperature,
      humidity: last.humidity,
      series: downsample(list, bucketSeconds),
      alerting: last.alerting === true,
      advice: adviceBoth(
        (last.alerting === true
          ? "alert"
          : SIGNALS.indexOf(last.signal) >= 0
            ? last.signal
            : "none") as AdviceKey,
      ),
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

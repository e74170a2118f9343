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
  name: string;
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

/** Name for a classroom: the configured one, else "Lokaal" and the first characters of its pseudonym. */
export function classroomName(pseudonym: string, names: Record<string, string>): string {
  const n = names[pseudonym];
  return typeof n === "string" && n.trim() !== "" ? n : "Lokaal " + pseudonym.substring(0, 4);
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
  names: Record<string, string>,
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

// One "Kijk mee" session: the readings and the marks, kept in sessionStorage (a reload keeps the
// chart), and its CSV.
export interface Point {
  /** Unix ms. */
  t: number;
  co2: number | null;
  temperature: number | null;
  humidity: number | null;
  signal: string | null;
  source: "bluetooth" | "dashboard";
}

export interface Mark {
  t: number;
  kind: "open" | "closed";
}

export interface Session {
  points: Point[];
  marks: Mark[];
  room: string;
  /** A Bluetooth link was open when the page was left (a reload drops it). */
  linked: boolean;
}

const KEY = "liot-kijk-mee";
/** Four hours of 5 s readings; older ones leave the session. */
const MAX_POINTS = 2880;

export function loadSession(): Session {
  try {
    const v = JSON.parse(sessionStorage.getItem(KEY) ?? "null") as Session | null;
    if (v && Array.isArray(v.points) && Array.isArray(v.marks)) return v;
  } catch {
    /* a fresh session */
  }
  return { points: [], marks: [], room: "", linked: false };
}

export function saveSession(s: Session): void {
  if (s.points.length > MAX_POINTS) s.points.splice(0, s.points.length - MAX_POINTS);
  try {
    sessionStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    /* storage full: the chart still works */
  }
}

const cell = (v: number | string | null): string => (v === null ? "" : String(v));

/** CSV with a header row; the marks are rows of their own (no reading). */
export function sessionCsv(s: Session, markText: (k: Mark["kind"]) => string): string {
  const rows: { t: number; line: string }[] = [];
  for (const p of s.points)
    rows.push({
      t: p.t,
      line: [
        new Date(p.t).toISOString(),
        cell(p.co2),
        cell(p.temperature),
        cell(p.humidity),
        cell(p.signal),
        p.source,
        "",
      ].join(","),
    });
  for (const m of s.marks)
    rows.push({
      t: m.t,
      line: [new Date(m.t).toISOString(), "", "", "", "", "", markText(m.kind)].join(","),
    });
  rows.sort((a, b) => a.t - b.t);
  return (
    "time,co2_ppm,temperature_c,humidity_percent,signal,source,mark\n" +
    rows.map((r) => r.line).join("\n") +
    "\n"
  );
}

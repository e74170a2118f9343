// The big moving chart, drawn on a canvas (no chart library: the page works without internet):
// CO2 on top with the signal bands behind it, temperature and humidity below, the experiment's
// marks as labelled vertical lines. The newest WINDOW_MS are shown and scroll left.
import type { Mark, Point } from "./session.js";

/** The chart shows the newest WINDOW_MS; a younger session fills it from MIN_WINDOW_MS on. */
export const WINDOW_MS = 10 * 60 * 1000;
export const MIN_WINDOW_MS = 2 * 60 * 1000;

export interface ChartTexts {
  co2: string;
  temperature: string;
  humidity: string;
  mark: (k: Mark["kind"]) => string;
  bands: { green: string; orange: string; red: string };
}

interface Panel {
  top: number;
  height: number;
  min: number;
  max: number;
}

function range(values: number[], floor: number, ceil: number, pad: number): [number, number] {
  if (values.length === 0) return [floor, ceil];
  let lo = Math.min(floor, ...values);
  let hi = Math.max(ceil, ...values);
  if (hi - lo < pad) hi = lo + pad;
  lo = Math.floor(lo / pad) * pad;
  hi = Math.ceil(hi / pad) * pad;
  return [lo, hi];
}

export function drawChart(
  canvas: HTMLCanvasElement,
  points: Point[],
  marks: Mark[],
  now: number,
  limits: { orangePpm: number; redPpm: number },
  T: ChartTexts,
): void {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr)) canvas.width = Math.round(w * dpr);
  if (canvas.height !== Math.round(h * dpr)) canvas.height = Math.round(h * dpr);
  const g = canvas.getContext("2d");
  if (!g) return;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  const left = 70;
  const right = w - 16;
  const first = points.length > 0 ? points[0]!.t : now;
  const span = Math.max(MIN_WINDOW_MS, Math.min(WINDOW_MS, now - first));
  const from = now - span;
  const x = (t: number) => left + ((t - from) / span) * (right - left);
  const shown = points.filter((p) => p.t >= from - 10_000);
  const font = (px: number, bold = false) =>
    (g.font = `${bold ? "700 " : ""}${px}px system-ui, "DejaVu Sans", sans-serif`);

  const co2 = shown.map((p) => p.co2).filter((v): v is number => v !== null);
  const [cLo, cHi] = range(co2, 400, limits.redPpm + 200, 200);
  const temps = shown.map((p) => p.temperature).filter((v): v is number => v !== null);
  const [tLo, tHi] = range(temps, 18, 24, 2);
  const hums = shown.map((p) => p.humidity).filter((v): v is number => v !== null);
  const [hLo, hHi] = range(hums, 30, 60, 10);
  const main: Panel = { top: 10, height: h * 0.5, min: cLo, max: cHi };
  const tp: Panel = { top: main.top + main.height + 40, height: h * 0.13, min: tLo, max: tHi };
  const hp: Panel = { top: tp.top + tp.height + 40, height: h * 0.13, min: hLo, max: hHi };
  const y = (p: Panel, v: number) => p.top + p.height - ((v - p.min) / (p.max - p.min)) * p.height;

  // signal bands behind the CO2 line (the node's own thresholds)
  const band = (a: number, b: number, colour: string, label: string) => {
    const ya = y(main, Math.max(main.min, Math.min(main.max, b)));
    const yb = y(main, Math.max(main.min, Math.min(main.max, a)));
    if (yb <= ya) return;
    g.fillStyle = colour;
    g.fillRect(left, ya, right - left, yb - ya);
    font(14);
    g.fillStyle = "#4a5560";
    g.fillText(label, left + 8, yb - 6);
  };
  band(main.min, limits.orangePpm, "#e3f5e8", T.bands.green);
  band(limits.orangePpm, limits.redPpm, "#fff1d6", T.bands.orange);
  band(limits.redPpm, main.max, "#fde1e1", T.bands.red);

  const axis = (p: Panel, label: string, unit: string, step: number) => {
    g.strokeStyle = "#c9d1d9";
    g.lineWidth = 1;
    font(14);
    g.fillStyle = "#3b4550";
    for (let v = p.min; v <= p.max + 1e-9; v += step) {
      const yy = y(p, v);
      g.beginPath();
      g.moveTo(left, yy);
      g.lineTo(right, yy);
      g.stroke();
      g.fillText(String(Math.round(v)), 8, yy + 5);
    }
    font(15, true);
    const title = label + " (" + unit + ")";
    g.fillText(
      title,
      p === main ? right - g.measureText(title).width - 6 : left + 4,
      p.top === main.top ? p.top + 16 : p.top - 8,
    );
  };
  axis(main, T.co2, "ppm", Math.max(200, Math.round((main.max - main.min) / 5 / 100) * 100));
  axis(tp, T.temperature, "°C", Math.max(1, (tp.max - tp.min) / 2));
  axis(hp, T.humidity, "%", Math.max(5, (hp.max - hp.min) / 2));

  const line = (p: Panel, get: (q: Point) => number | null, colour: string, width: number) => {
    g.strokeStyle = colour;
    g.lineWidth = width;
    g.lineJoin = "round";
    g.beginPath();
    let pen = false;
    for (const q of shown) {
      const v = get(q);
      if (v === null) {
        pen = false;
        continue;
      }
      const xx = Math.max(left, x(q.t));
      const yy = y(p, v);
      if (pen) g.lineTo(xx, yy);
      else g.moveTo(xx, yy);
      pen = true;
    }
    g.stroke();
    const lastPoint = [...shown].reverse().find((q) => get(q) !== null);
    if (lastPoint) {
      g.fillStyle = colour;
      g.beginPath();
      g.arc(x(lastPoint.t), y(p, get(lastPoint)!), width + 3, 0, Math.PI * 2);
      g.fill();
    }
  };
  line(main, (q) => q.co2, "#0b4f8a", 5);
  line(tp, (q) => q.temperature, "#b3461b", 3);
  line(hp, (q) => q.humidity, "#1d7a8a", 3);

  // time labels every 30 s (a young session) or 2 minutes
  font(14);
  g.fillStyle = "#3b4550";
  const step = span < 4 * 60 * 1000 ? 30 * 1000 : 2 * 60 * 1000;
  for (let t = Math.ceil(from / step) * step; t <= now; t += step) {
    const d = new Date(t);
    const two = (n: number) => String(n).padStart(2, "0");
    const s =
      two(d.getHours()) +
      ":" +
      two(d.getMinutes()) +
      (step < 60_000 ? ":" + two(d.getSeconds()) : "");
    g.fillText(s, x(t) - g.measureText(s).width / 2, h - 4);
  }

  for (const m of marks) {
    if (m.t < from) continue;
    const xx = x(m.t);
    g.strokeStyle = m.kind === "open" ? "#1d8a3a" : "#6b3fa0";
    g.lineWidth = 3;
    g.setLineDash([8, 6]);
    g.beginPath();
    g.moveTo(xx, main.top);
    g.lineTo(xx, hp.top + hp.height);
    g.stroke();
    g.setLineDash([]);
    font(17, true);
    g.fillStyle = g.strokeStyle;
    g.fillText(
      T.mark(m.kind),
      Math.min(xx + 6, right - 120),
      main.top + (m.kind === "open" ? 44 : 68),
    );
  }
}

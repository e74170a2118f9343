// The classroom node's live view ("Kijk mee"): text lines on the Nordic UART while the node is in
// live mode, defined once here. The firmware encodes them (so this file stays Espruino-safe), the
// "Kijk mee" page parses them. The node's console is off Bluetooth in live mode: it reads only the
// two commands below and ignores every other byte.
//
//   node -> page, one line each, "\n"-terminated:
//     lv1 h <deviceId> <windowLeftS> <intervalS> <room>       header: who, how long, how often
//     lv1 r <seq> <co2Ppm|-> <temperatureDeci|-> <humidityHalfPercent|-> <signal>
//     lv1 e <reason>                                          live mode ends (then it disconnects)
//   page -> node: "start\n" (send the header and stream readings), "stop\n" (end live mode now)
//
// A reading's "-" fields: the sensor gave no valid reading (the page draws a gap). The room is
// the rest of the header line (1-24 printable ASCII characters, as enrolment allows).
import { SIGNAL_LEVELS, type ClimateReading, type SignalLevel } from "./classroom-reading.js";
import { isIntIn } from "./bytes.js";
import { accept, reject, type Result } from "./result.js";

export const LIVE_PREFIX = "lv1";
export const LIVE_START = "start";
export const LIVE_STOP = "stop";

/** Why live mode ended: the page's stop, its time window ran out, or enrolment mode took over. */
export type LiveEndReason = "stop" | "time" | "enrol";
export const LIVE_END_REASONS: LiveEndReason[] = ["stop", "time", "enrol"];

export interface LiveHeader {
  kind: "header";
  deviceId: number;
  /** Seconds until the node leaves live mode by itself. */
  windowLeftS: number;
  /** Seconds between reading lines. */
  intervalS: number;
  room: string;
}

export interface LiveReading {
  kind: "reading";
  /** Counts reading lines of this live session from 0 (wraps at 2^31). */
  seq: number;
  reading: ClimateReading | null;
  signal: SignalLevel;
}

export interface LiveEnd {
  kind: "end";
  reason: LiveEndReason;
}

export type LiveLine = LiveHeader | LiveReading | LiveEnd;

export type LiveRejectReason = "not_live" | "bad_field";

/** Longest line a node sends (a header with a 24-character room); longer input is refused. */
export const LIVE_MAX_LINE = 64;

export function encodeLiveHeader(h: LiveHeader): string {
  return (
    LIVE_PREFIX +
    " h " +
    h.deviceId +
    " " +
    Math.max(0, Math.floor(h.windowLeftS)) +
    " " +
    h.intervalS +
    " " +
    h.room +
    "\n"
  );
}

export function encodeLiveReading(r: LiveReading): string {
  const c = r.reading;
  return (
    LIVE_PREFIX +
    " r " +
    r.seq +
    " " +
    (c ? c.co2Ppm + " " + c.temperatureDeci + " " + c.humidityHalfPercent : "- - -") +
    " " +
    r.signal +
    "\n"
  );
}

export function encodeLiveEnd(reason: LiveEndReason): string {
  return LIVE_PREFIX + " e " + reason + "\n";
}

/** A page command as the node sees it: "start", "stop" or null (ignored). */
export function liveCommand(line: string): "start" | "stop" | null {
  const t = line.trim();
  if (t === LIVE_START) return "start";
  if (t === LIVE_STOP) return "stop";
  return null;
}

function int(s: string | undefined, min: number, max: number): number | null {
  if (s === undefined || !/^-?[0-9]{1,10}$/.test(s)) return null;
  const v = parseInt(s, 10);
  return isIntIn(v, min, max) ? v : null;
}

function bad(detail: string): Result<LiveLine, LiveRejectReason> {
  return reject("bad_field", detail);
}

/** Parses one line a node sent (without or with its "\n"/"\r\n"). Never throws. */
export function parseLiveLine(line: string): Result<LiveLine, LiveRejectReason> {
  const text = line.replace(/\r?\n$/, "");
  if (text.length > LIVE_MAX_LINE) return reject("not_live", "line longer than " + LIVE_MAX_LINE);
  const f = text.split(" ");
  if (f[0] !== LIVE_PREFIX || f.length < 3) return reject("not_live", "not a live line: " + text);
  if (f[1] === "h") {
    const id = int(f[2], 0, 0xffffffff);
    const left = int(f[3], 0, 86400);
    const every = int(f[4], 1, 3600);
    const room = f.slice(5).join(" ");
    if (id === null) return bad("header deviceId: expected an integer, got " + f[2]);
    if (left === null) return bad("header windowLeftS: expected 0-86400 s, got " + f[3]);
    if (every === null) return bad("header intervalS: expected 1-3600 s, got " + f[4]);
    if (!/^[ -~]{1,24}$/.test(room)) return bad("header room: expected 1-24 printable characters");
    return accept({
      kind: "header",
      deviceId: id,
      windowLeftS: left,
      intervalS: every,
      room: room,
    });
  }
  if (f[1] === "r") {
    if (f.length !== 7)
      return bad("reading: expected 5 fields after 'lv1 r', got " + (f.length - 2));
    const seq = int(f[2], 0, 0x7fffffff);
    if (seq === null) return bad("reading seq: expected a non-negative integer, got " + f[2]);
    const signal = f[6] as SignalLevel;
    if (SIGNAL_LEVELS.indexOf(signal) < 0)
      return bad("reading signal: expected " + SIGNAL_LEVELS.join("|") + ", got " + f[6]);
    if (f[3] === "-" && f[4] === "-" && f[5] === "-")
      return accept({ kind: "reading", seq: seq, reading: null, signal: signal });
    const co2 = int(f[3], 0, 40000);
    const t = int(f[4], -400, 1000);
    const rh = int(f[5], 0, 200);
    if (co2 === null) return bad("reading co2Ppm: expected 0-40000 or -, got " + f[3]);
    if (t === null) return bad("reading temperatureDeci: expected -400-1000 or -, got " + f[4]);
    if (rh === null) return bad("reading humidityHalfPercent: expected 0-200 or -, got " + f[5]);
    return accept({
      kind: "reading",
      seq: seq,
      reading: { co2Ppm: co2, temperatureDeci: t, humidityHalfPercent: rh },
      signal: signal,
    });
  }
  if (f[1] === "e") {
    const reason = f[2] as LiveEndReason;
    if (f.length !== 3 || LIVE_END_REASONS.indexOf(reason) < 0)
      return bad(
        "end reason: expected " + LIVE_END_REASONS.join("|") + ", got " + f.slice(2).join(" "),
      );
    return accept({ kind: "end", reason: reason });
  }
  return reject("not_live", "unknown live line kind " + f[1]);
}

/**
 * Splits a byte stream into lines: feed chunks as they arrive (Bluetooth notifications of at most
 * 20 bytes), get back whole lines. A run of more than LIVE_MAX_LINE bytes without a newline is
 * dropped (noise), so the buffer stays small.
 */
export function liveLineSplitter(onLine: (line: string) => void): (chunk: string) => void {
  let buf = "";
  return (chunk: string) => {
    buf += chunk;
    let i = buf.indexOf("\n");
    while (i >= 0) {
      const line = buf.substring(0, i).replace(/\r$/, "");
      buf = buf.substring(i + 1);
      if (line.length > 0) onLine(line);
      i = buf.indexOf("\n");
    }
    if (buf.length > LIVE_MAX_LINE) buf = "";
  };
}

// One classroom over time: the traffic light with hysteresis and the sustained-exceedance alert.
// Pure: the caller keeps the state (e.g. in Node-RED context) and passes it back in.
import { adviceBoth, type AdviceKey } from "./advice.js";
import { nextLevel, type SignalLevel, type SignalThresholds } from "@leiden-iot/protocol";

export interface AlertRule {
  /** Alert when CO2 stays above this value ... */
  abovePpm: number;
  /** ... for this many seconds. */
  forSeconds: number;
}

export interface ClassroomMemory {
  level: SignalLevel | null;
  /** Unix seconds since which CO2 is above the alert value, or null. */
  aboveSince: number | null;
  alerting: boolean;
  lastTime: number;
}

export const FRESH_MEMORY: ClassroomMemory = {
  level: null,
  aboveSince: null,
  alerting: false,
  lastTime: 0,
};

export interface Reading {
  time: number;
  co2Ppm: number | null;
  temperature: number | null;
  humidity: number | null;
}

export interface ClassroomSignal {
  pseudonym: string;
  time: number;
  signal: SignalLevel;
  co2Ppm: number | null;
  temperature: number | null;
  humidity: number | null;
  sensorFault: boolean;
  /** The light changed colour with this reading. */
  changed: boolean;
  /** CO2 has been above the alert value for the alert time (until it clears). */
  alerting: boolean;
  advice: { nl: string; en: string };
}

export type AlertEvent =
  | {
      type: "alert";
      pseudonym: string;
      since: number;
      time: number;
      co2Ppm: number;
      advice: { nl: string; en: string };
    }
  | { type: "cleared"; pseudonym: string; time: number; co2Ppm: number };

export interface Step {
  memory: ClassroomMemory;
  signals: ClassroomSignal[];
  alerts: AlertEvent[];
}

/**
 * Feeds readings (oldest first; older than the memory's last reading are skipped) through the
 * traffic light and the alert rule.
 */
export function stepClassroom(
  pseudonym: string,
  memory: ClassroomMemory,
  readings: Reading[],
  sensorFault: boolean,
  t: SignalThresholds,
  rule: AlertRule,
): Step {
  let m: ClassroomMemory = Object.assign({}, memory);
  const signals: ClassroomSignal[] = [];
  const alerts: AlertEvent[] = [];
  const sorted = readings.slice().sort((a, b) => a.time - b.time);
  for (const r of sorted) {
    if (r.time <= m.lastTime) continue;
    m.lastTime = r.time;
    if (r.co2Ppm === null || sensorFault) {
      signals.push({
        pseudonym,
        time: r.time,
        signal: "none",
        co2Ppm: r.co2Ppm,
        temperature: r.temperature,
        humidity: r.humidity,
        sensorFault,
        changed: m.level !== null,
        alerting: m.alerting,
        advice: adviceBoth(sensorFault ? "fault" : "none"),
      });
      m = { level: null, aboveSince: null, alerting: m.alerting, lastTime: m.lastTime };
      continue;
    }
    const ppm = r.co2Ppm;
    const level = nextLevel(m.level, ppm, t);
    const changed = level !== m.level;
    m.level = level;
    if (ppm > rule.abovePpm) {
      if (m.aboveSince === null) m.aboveSince = r.time;
      if (!m.alerting && r.time - m.aboveSince >= rule.forSeconds) {
        m.alerting = true;
        alerts.push({
          type: "alert",
          pseudonym,
          since: m.aboveSince,
          time: r.time,
          co2Ppm: ppm,
          advice: adviceBoth("alert"),
        });
      }
    } else {
      m.aboveSince = null;
      if (m.alerting && ppm <= rule.abovePpm - t.hysteresisPpm) {
        m.alerting = false;
        alerts.push({ type: "cleared", pseudonym, time: r.time, co2Ppm: ppm });
      }
    }
    const key: AdviceKey = m.alerting ? "alert" : level;
    signals.push({
      pseudonym,
      time: r.time,
      signal: level,
      co2Ppm: ppm,
      temperature: r.temperature,
      humidity: r.humidity,
      sensorFault,
      changed,
      alerting: m.alerting,
      advice: adviceBoth(key),
    });
  }
  return { memory: m, signals, alerts };
}

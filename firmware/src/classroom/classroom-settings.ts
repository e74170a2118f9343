// Classroom settings changed by downlinks, the boot counter and the advert counter ceiling,
// in one small Storage file ("liot.cc"). Written at boot, after a downlink and once per counter
// block (~1.4 times a day): mains-powered, but flash still wears.
import { isIntIn } from "@leiden-iot/protocol/device";
import type { FileStore } from "../hal/types.js";
import { defaultCo2Preset, findCo2Preset, presetThresholds, type Thresholds } from "./signal.js";

export const SETTINGS_FILE = "liot.cc";

export interface ClassroomSettings {
  thresholds: Thresholds;
  readingIntervalSeconds: number;
  uplinkMinutes: number;
  autoCalibration: boolean;
  boots: number;
  counterCeil: number;
}

export function defaultSettings(preset: string): ClassroomSettings {
  return {
    thresholds: presetThresholds(findCo2Preset(preset) || defaultCo2Preset()),
    readingIntervalSeconds: 60,
    uplinkMinutes: 10,
    autoCalibration: true,
    boots: 0,
    counterCeil: 0,
  };
}

/** Reads the settings; falls back to the preset on a missing or corrupt file (fault = true). */
export function loadSettings(
  store: FileStore,
  preset: string,
): { settings: ClassroomSettings; fault: boolean } {
  const d = defaultSettings(preset);
  const text = store.read(SETTINGS_FILE);
  if (text === undefined) return { settings: d, fault: false };
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text);
  } catch {
    return { settings: d, fault: true };
  }
  const t = (o && o.t) as Thresholds | undefined;
  const ok =
    !!t &&
    isIntIn(t.orangePpm, 400, 5000) &&
    isIntIn(t.redPpm, 400, 5000) &&
    t.orangePpm < t.redPpm &&
    isIntIn(t.hysteresisPpm, 0, 200) &&
    isIntIn(o.ri as number, 10, 3600) &&
    isIntIn(o.um as number, 1, 1440) &&
    isIntIn(o.boots as number, 0, 0xffffffff) &&
    isIntIn(o.ctr as number, 0, 0xffffffff);
  if (!ok) {
    // Keep what survives of the counter and boot count: they must not go backwards.
    if (o && isIntIn(o.ctr as number, 0, 0xffffffff)) d.counterCeil = o.ctr as number;
    if (o && isIntIn(o.boots as number, 0, 0xffffffff)) d.boots = o.boots as number;
    return { settings: d, fault: true };
  }
  return {
    settings: {
      thresholds: t!,
      readingIntervalSeconds: o.ri as number,
      uplinkMinutes: o.um as number,
      autoCalibration: o.asc !== false,
      boots: o.boots as number,
      counterCeil: o.ctr as number,
    },
    fault: false,
  };
}

export function saveSettings(store: FileStore, s: ClassroomSettings): boolean {
  return store.write(
    SETTINGS_FILE,
    JSON.stringify({
      t: s.thresholds,
      ri: s.readingIntervalSeconds,
      um: s.uplinkMinutes,
      asc: s.autoCalibration,
      boots: s.boots,
      ctr: s.counterCeil,
    }),
  );
}

// Enrolment mode: the only time a device is connectable. While unenrolled, or for WINDOW_S after a
// long button press, it advertises connectable under its board name with a blinking LED; the UART
// needs an encrypted link (LE Secure Connections, set by the EnrolLink), and the page calls
// `liot.info()` / `liot.enrol({...})` on the console. Rate limits: MAX_CONNECTS connections and
// MAX_FAILS refused requests per window, then the window closes until the next long press.
// While the window is open the app's own (non-connectable) advertising is held back and replayed
// when it closes, so the band and classroom apps need no change.
import { DEVICE_CONFIG_FILE } from "@leiden-iot/protocol/device";
import { loadConfig } from "../band/band-config.js";
import type { Clock, FileStore, Radio, Timers } from "../hal/types.js";
import { checkEnrolment, type EnrolKind } from "./enrol-request.js";

/** Seconds held that make a press long (opens enrolment mode). A const enum: inlined, no RAM. */
export const enum EnrolPress {
  LONG_S = 3,
}

/** Storage file (and require() name) of the enrolment module of the classroom node. */
export const ENROL_MODULE = "liot.enrol";

export const ENROL_TIMING = {
  WINDOW_S: 120,
  LONG_PRESS_S: EnrolPress.LONG_S as number,
  MAX_CONNECTS: 3,
  MAX_FAILS: 3,
  BLINK_MS: 40,
  /** Blink period while a window is open; an unenrolled device blinks rarely after WINDOW_S. */
  BLINK_EVERY_MS: 2000,
  BLINK_IDLE_EVERY: 15,
  /** After a good enrolment: time for the reply to reach the page, then restart from Storage. */
  RESTART_MS: 1500,
};

/** State files an explicit reset erases (the previous wearer's days, the old node's settings). */
export const RESET_FILES = ["liot.s0", "liot.s1", "liot.cc"];

export interface EnrolLink {
  /** Connectable advertising under `name`; UART only over an LE Secure Connections link. */
  open(name: string): void;
  /** Drops any central and stops connectable advertising. */
  close(): void;
  onConnect(fn: () => void): void;
  onLongPress(seconds: number, fn: () => void): void;
  blink(ms: number): void;
  /** Makes the console API reachable (global `liot`). */
  expose(api: EnrolApi): void;
  /** Restart the app from Storage (Espruino's load()). */
  restart(): void;
}

export interface EnrolInfo {
  kind: EnrolKind;
  enrolled: boolean;
  id: number | null;
  open: boolean;
  fw: number;
}

export interface EnrolApi {
  info(): EnrolInfo;
  enrol(req: unknown): { ok: boolean; error?: string; id?: number };
}

export interface EnrolDevice {
  store: FileStore;
  timers: Timers;
  radio: Radio;
  clock: Clock;
}

/** Version of the console API (the page checks it). */
export const ENROL_API = 1;

/**
 * Arms enrolment mode on a board before its app starts. Replaces `dev.radio` with a gate that
 * holds the app's advertising while a window is open.
 */
export function armEnrolment(
  kind: EnrolKind,
  dev: EnrolDevice,
  link: EnrolLink,
  name: string,
): void {
  const T = ENROL_TIMING;
  const radio = dev.radio;
  let open = false;
  let connects = 0;
  let fails = 0;
  let blinks = 0;
  let held: (() => void)[] = [];
  let blinkTimer: unknown = null;
  let closeTimer: unknown = null;

  dev.radio = {
    advertise: (packets, ms) => {
      if (open) held = [() => radio.advertise(packets, ms)];
      else radio.advertise(packets, ms);
    },
    setAddress: (a) => {
      if (open) held.unshift(() => radio.setAddress(a));
      else radio.setAddress(a);
    },
    scan: (ms, done) => radio.scan(ms, done),
  };

  const enrolled = (): boolean => loadConfig(dev.store) !== null;

  const stopTimers = (): void => {
    if (blinkTimer !== null) dev.timers.cancel(blinkTimer);
    if (closeTimer !== null) dev.timers.cancel(closeTimer);
    blinkTimer = null;
    closeTimer = null;
  };

  const closeWindow = (): void => {
    if (!open) return;
    open = false;
    stopTimers();
    link.close();
    const h = held;
    held = [];
    for (let i = 0; i < h.length; i++) h[i]!();
  };

  const openWindow = (): void => {
    stopTimers();
    connects = 0;
    fails = 0;
    blinks = 0;
    if (!open) {
      open = true;
      link.open(name);
    }
    link.blink(T.BLINK_MS * 4);
    const limited = enrolled();
    blinkTimer = dev.timers.every(T.BLINK_EVERY_MS, () => {
      blinks++;
      const idle = blinks * T.BLINK_EVERY_MS > T.WINDOW_S * 1000;
      if (!idle || blinks % T.BLINK_IDLE_EVERY === 0) link.blink(T.BLINK_MS);
    });
    // Unenrolled devices stay connectable (rarely blinking); enrolled ones close after WINDOW_S.
    if (limited) closeTimer = dev.timers.after(T.WINDOW_S * 1000, closeWindow);
  };

  link.onConnect(() => {
    connects++;
    if (connects > T.MAX_CONNECTS) closeWindow();
  });
  link.onLongPress(T.LONG_PRESS_S, openWindow);
  link.expose({
    info: () => {
      const c = loadConfig(dev.store);
      return { kind: kind, enrolled: !!c, id: c ? c.deviceId : null, open: open, fw: ENROL_API };
    },
    enrol: (req) => {
      if (!open) return { ok: false, error: "closed" };
      const current = loadConfig(dev.store);
      const r = checkEnrolment(kind, req, current);
      if (!r.ok) {
        fails++;
        if (fails >= T.MAX_FAILS) dev.timers.after(100, closeWindow);
        return { ok: false, error: r.error };
      }
      if (current) for (let i = 0; i < RESET_FILES.length; i++) dev.store.erase(RESET_FILES[i]!);
      if (!dev.store.write(DEVICE_CONFIG_FILE, r.text)) return { ok: false, error: "storage" };
      dev.clock.set((req as { t: number }).t);
      dev.timers.after(T.RESTART_MS, () => {
        open = false;
        stopTimers();
        link.close();
        link.restart();
      });
      return { ok: true, id: r.id };
    },
  });
  if (!enrolled()) openWindow();
}

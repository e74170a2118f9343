// Live mode ("Kijk mee"): after a 1-3 s button press the classroom node is connectable for a
// lesson (WINDOW_S) and sends one protocol live line per reading (every INTERVAL_S) to the page
// that connected and sent "start". Read-only by construction: the link takes Espruino's console
// off Bluetooth first, so what a central writes never reaches the REPL (which could read the
// device key); the only input acted on is "start" and "stop" (protocol/src/live-line.ts).
// A double blue blink every INTERVAL_S says the node is in live mode.
//
// Loaded on demand from Storage (entries/classroom-live.ts, require(LIVE_MODULE)): the boot bundle
// carries only the button watch. The app's own adverts go on while live mode is open, made
// connectable by the link, so the gateway keeps hearing the room.
import {
  DEVICE_CONFIG_FILE,
  encodeLiveEnd,
  encodeLiveHeader,
  encodeLiveReading,
  liveCommand,
  liveLineSplitter,
  type ClimateReading,
  type LiveEndReason,
  type SignalLevel,
} from "@leiden-iot/protocol/device";
import type { AdvertPacket, Clock, FileStore, Radio, Timers } from "../hal/types.js";

/** The Storage file (and require() name) of the live-mode module. */
export const LIVE_MODULE = "liot.live";

export const LIVE_TIMING = {
  /** A lesson: the node leaves live mode by itself after this; another press starts it again. */
  WINDOW_S: 3600,
  INTERVAL_S: 5,
  /** Time for the end line to get out before the link drops. */
  END_MS: 300,
};

/** What the running classroom app offers live mode (classroom-app.ts). */
export interface LiveView {
  /** A reading shared with the app's own (one sensor, one sample per 5 s period). */
  sample(done: (r: ClimateReading | null) => void): void;
  signal(): SignalLevel;
  /** Advertise the current reading now (through dev.radio). */
  advertise(): void;
}

export interface LiveLink {
  /** Console off Bluetooth, no pairing needed, `name` in the scan response. */
  open(name: string): void;
  /** Drops any central; console back to normal; scan response cleared. */
  close(): void;
  /** The app's packets, connectable and discoverable. */
  advertise(packets: AdvertPacket[], intervalMs: number): void;
  onConnect(fn: () => void): void;
  onDisconnect(fn: () => void): void;
  onData(fn: (chunk: string) => void): void;
  send(text: string): void;
  blink(): void;
}

export interface LiveDevice {
  timers: Timers;
  clock: Clock;
  store: FileStore;
  radio: Radio;
}

export interface LiveControl {
  /** A 1-3 s press: open live mode, or start its window again. */
  press(): void;
  /** Leave live mode now (the page's stop, enrolment mode opening). */
  end(reason: LiveEndReason): void;
  isOpen(): boolean;
}

/** Name a central sees while scanning: the room, so the children pick their own node. */
export function liveName(room: string): string {
  return ("LIOT live " + room).substring(0, 29);
}

export function createLive(dev: LiveDevice, link: LiveLink, view: LiveView): LiveControl {
  const T = LIVE_TIMING;
  let open = false;
  let connected = false;
  let streaming = false;
  let seq = 0;
  let until = 0;
  let tick: unknown = null;
  let closer: unknown = null;
  let saved: Radio | null = null;
  let last: AdvertPacket[] | null = null;
  let lastMs = 1000;
  let address: string | null = null;

  let id = 0;
  let room = "klas";
  /** Id and room from liot.cfg (enrolment wrote the room; a node provisioned without one: "klas"). */
  const readConfig = (): void => {
    try {
      const c = JSON.parse(dev.store.read(DEVICE_CONFIG_FILE) || "{}") as {
        id?: unknown;
        room?: unknown;
      };
      id = typeof c.id === "number" ? c.id : 0;
      room = typeof c.room === "string" && c.room.length > 0 ? c.room : "klas";
    } catch {
      id = 0;
    }
  };

  const sendReading = (r: ClimateReading | null): void => {
    if (!streaming) return;
    link.send(encodeLiveReading({ kind: "reading", seq: seq, reading: r, signal: view.signal() }));
    seq = (seq + 1) & 0x7fffffff;
  };

  const every = (): void => {
    link.blink();
    if (streaming) view.sample(sendReading);
  };

  const end = (reason: LiveEndReason): void => {
    if (!open) return;
    open = false;
    streaming = false;
    if (tick !== null) dev.timers.cancel(tick);
    if (closer !== null) dev.timers.cancel(closer);
    tick = null;
    closer = null;
    const finish = (): void => {
      link.close();
      const r = saved!;
      saved = null;
      dev.radio = r;
      if (address !== null) r.setAddress(address);
      address = null;
      if (last) r.advertise(last, lastMs);
    };
    if (connected) {
      link.send(encodeLiveEnd(reason));
      dev.timers.after(T.END_MS, finish);
    } else finish();
  };

  const press = (): void => {
    until = dev.clock.now() + T.WINDOW_S;
    if (closer !== null) dev.timers.cancel(closer);
    closer = dev.timers.after(T.WINDOW_S * 1000, () => end("time"));
    if (open) return;
    open = true;
    seq = 0;
    readConfig();
    saved = dev.radio;
    const s = saved;
    dev.radio = {
      advertise: (packets, ms) => {
        last = packets;
        lastMs = ms;
        link.advertise(packets, ms);
      },
      // the address stays put while a page may be connected; the newest one is set at the end
      setAddress: (a) => {
        address = a;
      },
      scan: (ms, done) => s.scan(ms, done),
    };
    link.open(liveName(room));
    view.advertise();
    link.blink();
    tick = dev.timers.every(T.INTERVAL_S * 1000, every);
  };

  link.onConnect(() => {
    connected = true;
    streaming = false;
  });
  link.onDisconnect(() => {
    connected = false;
    streaming = false;
  });
  link.onData(
    liveLineSplitter((line) => {
      const c = liveCommand(line);
      if (!open || c === null) return;
      if (c === "stop") return end("stop");
      link.send(
        encodeLiveHeader({
          kind: "header",
          deviceId: id,
          windowLeftS: until - dev.clock.now(),
          intervalS: T.INTERVAL_S,
          room: room,
        }),
      );
      streaming = true;
      view.sample(sendReading);
    }),
  );

  return { press: press, end: end, isOpen: () => open };
}

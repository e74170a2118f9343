// What a real Espruino does on its Nordic UART (NUS) console, for the simulator: a central can
// connect only while the device advertises connectable; bytes written to the NUS RX
// characteristic go to Espruino's REPL (line editor, `\x10` echo-off lines, Ctrl-C, evaluation,
// `=result` and `Uncaught ...` replies) unless the firmware took the console away
// (`E.setConsole(null, {force:true})`, `LoopbackA.setConsole(true)`: then they go to
// `Bluetooth.on("data")`, until `Bluetooth.setConsole()`); what the device
// prints comes back as NUS TX notifications of at most 20 bytes (default MTU).
//
// It also models the parts of `NRF` and `setWatch` the enrolment mode relies on and the base
// context lacks: `NRF.setSecurity` (LE Secure Connections, `encryptUart`), `NRF.on("connect" |
// "disconnect")`, `NRF.disconnect`, `NRF.getSecurityStatus`, `load()`, `process.env.CONSOLE`,
// `setWatch` edges with `e.lastTime` (so a long press is measurable) and `holdButton(ms)`.
import vm from "node:vm";
import { describeError } from "./scheduler.js";

/** What the console needs from the simulation (implemented by Simulation). */
export interface ConsoleHost {
  readonly board: "puckjs2" | "banglejs2";
  readonly powered: boolean;
  /** Current advertising options (connectable unless `connectable: false`). */
  readonly advert: { options: Record<string, unknown>; packets: number[][] };
  deviceTime(): number;
  /** Runs fn after ms of device time (a device timer: lost on power cut / reload). */
  addTimer(ms: number, fn: () => void, repeat: boolean): number;
  /** Espruino's load(): restart the app from Storage. */
  reload(): void;
  /** Device exceptions (Espruino prints them and carries on). */
  readonly errors: { at: number; message: string }[];
}

export interface SecurityOptions {
  lesc?: boolean | number;
  mitm?: boolean | number;
  bond?: boolean | number;
  encryptUart?: boolean | number;
  passkey?: string;
  display?: boolean | number;
  keyboard?: boolean | number;
}

/** One central's link. `encrypted` once pairing (LE Secure Connections when lesc) completed. */
export interface CentralLink {
  onData: (chunk: string) => void;
  onDisconnect: (reason: string) => void;
  encrypted: boolean;
  lesc: boolean;
}

const MTU_PAYLOAD = 20;

interface WatchEntry {
  fn: (e: unknown) => void;
  pin: string;
  edge: string;
  lastChange: number;
}

export class UartConsole {
  /** Every byte the central wrote (as a latin1 string), for tests that audit what crossed the air. */
  readonly received: string[] = [];
  /** Every byte the device sent back. */
  readonly sent: string[] = [];
  security: SecurityOptions = {};
  private link: CentralLink | null = null;
  private ctx: vm.Context | null = null;
  private line = "";
  private echo = true;
  private forced = false; // E.setConsole(..., {force:true}) moved the REPL away from Bluetooth
  private listeners: Record<string, ((a?: unknown) => void)[]> = {};
  private btData: ((d: string) => void)[] = [];
  private watches: WatchEntry[] = [];
  private buttonDown = false;

  constructor(private readonly host: ConsoleHost) {}

  /** Installs the console's globals into a fresh device context (every boot / load()). */
  attach(ctx: vm.Context): void {
    this.ctx = ctx;
    this.listeners = {};
    this.btData = [];
    this.watches = [];
    this.forced = false;
    this.line = "";
    const c = ctx as Record<string, unknown>;
    const nrf = c.NRF as Record<string, unknown>;
    nrf.setSecurity = (o: SecurityOptions) => {
      this.security = Object.assign({}, o || {});
    };
    nrf.getSecurityStatus = () => ({
      connected: !!this.link,
      encrypted: !!this.link && this.link.encrypted,
      mitm_protected: false,
      bonded: false,
    });
    nrf.on = (ev: string, fn: (a?: unknown) => void) => {
      (this.listeners[ev] = this.listeners[ev] || []).push(fn);
    };
    nrf.removeAllListeners = (ev?: string) => {
      if (ev) delete this.listeners[ev];
      else this.listeners = {};
    };
    nrf.disconnect = () => this.drop("the device disconnected (NRF.disconnect)");
    const out = (s: string) => this.print(s);
    c.Bluetooth = {
      // Serial.setConsole(force): the console on Bluetooth (it moves again on the next event
      // unless forced); LoopbackA.setConsole(true) takes it off Bluetooth for good.
      setConsole: () => {
        this.forced = false;
      },
      write: (s: unknown) => out(String(s)),
      print: (s: unknown) => out(String(s)),
      println: (s: unknown) => out(String(s) + "\r\n"),
      on: (ev: string, fn: (d: string) => void) => {
        if (ev === "data") this.btData.push(fn);
      },
    };
    c.process = {
      env: {
        CONSOLE: "Bluetooth",
        BOARD: this.host.board === "banglejs2" ? "BANGLEJS2" : "PUCKJS",
        VERSION: "2v29",
      },
    };
    c.LoopbackA = {
      setConsole: (force?: boolean) => {
        this.forced = !!force;
      },
      write: () => undefined,
    };
    nrf.removeListener = (ev: string, fn: (a?: unknown) => void) => {
      this.listeners[ev] = (this.listeners[ev] || []).filter((f) => f !== fn);
    };
    const E = c.E as Record<string, unknown>;
    E.setConsole = (dev: unknown, o?: { force?: boolean }) => {
      this.forced = !(dev === "Bluetooth" || dev === c.Bluetooth) && !!(o && o.force);
    };
    c.load = () => {
      // Espruino restarts the JS interpreter after the current task; the BLE link stays up.
      this.host.addTimer(0, () => this.host.reload(), false);
    };
    const baseWatch = c.setWatch as (fn: (e: unknown) => void, pin: unknown, o?: unknown) => number;
    c.setWatch = (fn: (e: unknown) => void, pin: unknown, o?: { edge?: string }) => {
      const edge = (o && o.edge) || "both";
      if (String(pin).indexOf("BTN") !== 0) return baseWatch(fn, pin, o);
      // Simulation.pressButton() is an instant press: only rising/both watches see it.
      this.watches.push({ fn, pin: String(pin), edge, lastChange: this.host.deviceTime() });
      return baseWatch((e) => (edge === "falling" ? undefined : fn(e)), pin, o);
    };
  }

  /** RAM lost (power cut): the link drops, listeners go. A soft load() keeps the link. */
  powerLost(): void {
    this.drop("the device lost power");
    this.ctx = null;
  }

  /** The button: pressed now, released after ms (a long press when ms is large). */
  holdButton(ms: number): void {
    this.buttonEdge(true);
    this.host.addTimer(ms, () => this.buttonEdge(false), false);
  }

  /** Delivers a press edge to the BTN watches (rising = pressed) with Espruino's e.lastTime. */
  buttonEdge(down: boolean): void {
    if (down === this.buttonDown) return;
    this.buttonDown = down;
    const t = this.host.deviceTime();
    for (const w of this.watches.slice()) {
      const e = { state: down, time: t, lastTime: w.lastChange };
      w.lastChange = t;
      if (w.edge === "both" || (w.edge === "rising") === down) this.safely(() => w.fn(e));
    }
  }

  /** Is the device advertising connectable (Espruino's default unless connectable: false)? */
  connectable(): boolean {
    return this.host.powered && this.host.advert.options.connectable !== false;
  }

  /**
   * A central connects (Web Bluetooth `gatt.connect()`). Refused unless connectable. Pairing:
   * with `encryptUart` the NUS needs an encrypted link, which the central's OS negotiates before
   * the first write (LE Secure Connections when the device set `lesc`).
   */
  connect(onData: (chunk: string) => void, onDisconnect: (reason: string) => void): CentralLink {
    if (!this.connectable()) throw new Error("the device is not advertising connectable");
    if (this.link) throw new Error("the device already has a central connected");
    const link: CentralLink = { onData, onDisconnect, encrypted: false, lesc: false };
    this.link = link;
    this.line = "";
    this.emit("connect", "aa:bb:cc:dd:ee:ff public");
    return link;
  }

  /** The central's OS pairs (Web Bluetooth does this itself when a characteristic needs it). */
  pair(link: CentralLink): void {
    if (this.link !== link) throw new Error("not connected");
    link.encrypted = true;
    link.lesc = !!this.security.lesc;
  }

  /** Bytes written by the central to the NUS RX characteristic. */
  write(link: CentralLink, data: string): void {
    if (this.link !== link) throw new Error("GATT write failed: not connected");
    if (this.security.encryptUart && !link.encrypted)
      throw new Error("GATT write failed: insufficient encryption (pair first)");
    this.received.push(data);
    if (this.forced) {
      for (const fn of this.btData.slice()) this.safely(() => fn(data));
      return;
    }
    for (let i = 0; i < data.length; i++) this.char(data[i]!);
  }

  /** The central disconnects (or goes out of range). */
  disconnect(link: CentralLink, reason = "the central disconnected"): void {
    if (this.link === link) this.drop(reason);
  }

  get connected(): boolean {
    return this.link !== null;
  }

  private drop(reason: string): void {
    const link = this.link;
    if (!link) return;
    this.link = null;
    this.line = "";
    this.emit("disconnect", 19);
    link.onDisconnect(reason);
  }

  private emit(ev: string, arg: unknown): void {
    for (const fn of (this.listeners[ev] || []).slice()) this.safely(() => fn(arg));
  }

  private print(s: string): void {
    if (!this.link || s.length === 0) return;
    this.sent.push(s);
    const link = this.link;
    for (let i = 0; i < s.length; i += MTU_PAYLOAD) link.onData(s.substring(i, i + MTU_PAYLOAD));
  }

  /** Espruino's line editor, reduced to what tools send: \x03 clears, \x10 echo off, \r/\n runs. */
  private char(ch: string): void {
    if (ch === "\x03") {
      this.line = "";
      this.echo = true;
      return;
    }
    if (ch === "\x10" && this.line.length === 0) {
      this.echo = false;
      return;
    }
    if (ch === "\r" || ch === "\n") {
      if (this.line.trim().length === 0 || !complete(this.line)) {
        if (this.line.length > 0) this.line += "\n";
        return;
      }
      const code = this.line;
      const echo = this.echo;
      this.line = "";
      this.echo = true;
      if (echo) this.print("\r\n");
      this.run(code, echo);
      return;
    }
    this.line += ch;
    if (this.echo) this.print(ch);
  }

  private run(code: string, echo: boolean): void {
    if (!this.ctx) return;
    try {
      const r = vm.runInContext(code, this.ctx, { filename: "console" });
      if (echo) this.print("=" + show(r) + "\r\n>");
    } catch (e) {
      this.print("Uncaught " + describeError(e) + "\r\n" + (echo ? ">" : ""));
    }
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.host.errors.push({ at: this.host.deviceTime() * 1000, message: describeError(e) });
    }
  }
}

/** Brackets balanced and no open string: Espruino waits for more lines otherwise. */
function complete(code: string): boolean {
  let depth = 0;
  let quote = "";
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
  }
  return depth <= 0 && quote === "";
}

function show(v: unknown): string {
  if (v === undefined) return "undefined";
  if (typeof v === "string") return JSON.stringify(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

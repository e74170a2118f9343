// The enrolment and "Kijk mee" pages' link to an Espruino device over Web Bluetooth: a thin
// adapter around @espruino-tools/core (DeviceController.eval on @espruino-tools/uart), which
// brings the Nordic UART plumbing (chunked writes, XON/XOFF, newline-framed JSON replies). What
// it lacks, worked around here (see gateway/README.md, "@espruino-tools/core, and what the adapter fixes"):
// - its own English "Select a connection method" modal before the chooser: we click its Web
//   Bluetooth entry in the same user gesture, so staff press one button;
// - no error path: a cancelled chooser, a failed GATT connect, a write error or a disconnect
//   mid-reply leave its eval promise pending forever, and a disconnect during a reply wedges the
//   singleton (isBusy stays true). We watch requestDevice and gattserverdisconnected ourselves,
//   time out every call, and use a fresh UART instance per connection;
// - it refuses http://127.0.0.1 (only "localhost" counts as secure) without saying so: we say so;
// - it writes strings byte by byte with charCodeAt (non-ASCII is cut to 8 bits): we send ASCII
//   JSON with \u escapes; and `loadCode` pastes code into a template string unescaped, and
//   `connect()` dumps the whole program (E.dumpStr) and pulses LEDs: we use neither;
// - a half line left in Espruino's line editor by a cut connection garbles the next command: we
//   send Ctrl-C first;
// - its chooser lists every Puck.js/Bangle: we narrow it to devices in enrolment mode (or, for
//   "Kijk mee", in live mode);
// - it has no way to read a stream (only eval replies): connectStream takes over its data
//   handler after the first write, which otherwise keeps every received byte forever;
// - it logs every chunk it sends and receives with console.log (its debug level is private), so
//   the device key would sit in the browser console: we drop those two kinds of line.
import { DeviceController } from "@espruino-tools/core";
import { uart as sharedUart } from "@espruino-tools/uart";

export const NORDIC_UART_SERVICE = "6e400001-b5a3-f393-e0a9-e50e24dcca9e";

/** Names the firmware advertises while connectable (firmware/src/entries/*). */
export const LIOT_NAME_PREFIXES = ["Puck.js LIOT", "Bangle.js LIOT"];

export type LinkErrorCode =
  | "unsupported" // no Web Bluetooth in this browser
  | "insecure" // not opened on localhost / https
  | "cancelled" // the user closed the chooser
  | "connect_failed" // out of range, or the device stopped being connectable
  | "disconnected" // the link dropped during a call
  | "timeout" // no answer in time
  | "garbled"; // an answer that is not the JSON we asked for

export class LinkError extends Error {
  constructor(
    readonly code: LinkErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What the adapter needs from the browser (navigator.bluetooth, document, location). */
export interface BrowserEnv {
  bluetooth: BluetoothLike | undefined;
  document: { querySelectorAll(sel: string): ArrayLike<ElementLike> };
  hostname: string;
  protocol: string;
}

export interface ElementLike {
  textContent: string | null;
  parentElement: ElementLike | null;
  click(): void;
}

export interface BluetoothDeviceLike {
  name?: string;
  gatt?: { connected: boolean; disconnect(): void };
  addEventListener(type: "gattserverdisconnected", fn: () => void): void;
}

export interface BluetoothLike {
  requestDevice(options: unknown): Promise<BluetoothDeviceLike>;
}

interface UartConnection {
  isOpen?: boolean;
  isOpening?: boolean;
}

interface UartInstance {
  write(data: string, cb?: (d: unknown) => void, newline?: boolean): unknown;
  eval(expr: string, cb: (data: unknown, log: string) => void): boolean;
  getConnection(): UartConnection | undefined;
  close(): void;
}

let consoleFiltered = false;

/** Drops @espruino-tools/uart's "<UART> Sending/Received ..." lines (they carry the key). */
function filterUartLog(): void {
  if (consoleFiltered) return;
  consoleFiltered = true;
  const log = console.log.bind(console);
  console.log = (...args: unknown[]) => {
    const a = args[0];
    if (typeof a === "string" && /^<UART> (Sending|Received) /.test(a)) return;
    log(...args);
  };
}

/** JSON with every character outside printable ASCII escaped (Espruino strings are 8-bit). */
export function asciiJson(v: unknown): string {
  return JSON.stringify(v).replace(
    /[^\x20-\x7e]/g,
    (c) => "\\u" + ("0000" + c.charCodeAt(0).toString(16)).slice(-4),
  );
}

export interface LinkOptions {
  /** Milliseconds an eval may take before it fails with "timeout". */
  evalTimeoutMs?: number;
  /** Milliseconds the chooser + GATT connect may take. */
  connectTimeoutMs?: number;
  namePrefixes?: string[];
}

export class EspruinoLink {
  private controller: DeviceController | null = null;
  private device: BluetoothDeviceLike | null = null;
  private dropped = false;
  private readonly listeners: (() => void)[] = [];
  private readonly evalTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly prefixes: string[];

  constructor(
    private readonly env: BrowserEnv,
    o: LinkOptions = {},
  ) {
    this.evalTimeoutMs = o.evalTimeoutMs ?? 8000;
    this.connectTimeoutMs = o.connectTimeoutMs ?? 60_000;
    this.prefixes = o.namePrefixes ?? LIOT_NAME_PREFIXES;
  }

  /** Why this browser cannot connect, or null when it can. */
  static unsupported(env: BrowserEnv): LinkError | null {
    if (!env.bluetooth)
      return new LinkError(
        "unsupported",
        "this browser has no Web Bluetooth (Firefox and Safari on iOS lack it): use Chrome or Edge",
      );
    if (env.protocol === "http:" && env.hostname !== "localhost")
      return new LinkError(
        "insecure",
        `open the page as http://localhost:... instead of ${env.hostname}: Web Bluetooth needs it`,
      );
    return null;
  }

  get connected(): boolean {
    return !!this.controller && !this.dropped;
  }

  get deviceName(): string | undefined {
    return this.device?.name;
  }

  /** Called once when the link drops (device restart, out of range, close()). */
  onDisconnect(fn: () => void): void {
    this.listeners.push(fn);
  }

  /**
   * Opens the chooser and connects. Call it from a click handler (Web Bluetooth needs the user
   * gesture). Resolves once the first command (Ctrl-C, then `1`) came back.
   */
  async connect(): Promise<void> {
    await this.open((afterSend) => this.evalRaw("1", this.connectTimeoutMs, afterSend));
  }

  /**
   * A plain data link to a device whose console is not on Bluetooth (the classroom node in live
   * mode): opens the chooser, writes `hello` (e.g. "start\n"), and from then on hands every
   * received chunk to onData, including what arrived while the library still owned the link. The
   * library's own data handler is replaced: it would keep every received byte in one string for
   * as long as the page is open.
   */
  async connectStream(hello: string, onData: (chunk: string) => void): Promise<void> {
    await this.open(
      (afterSend) =>
        new Promise<void>((resolve) => {
          const uart = this.uart();
          uart.write(hello, (received) => {
            const c = uart.getConnection() as
              (UartConnection & { on(ev: "data", fn: (d: string) => void): void }) | undefined;
            if (!c || !c.isOpen) return; // the connect failed: `failed` reports it
            c.on("data", onData);
            if (typeof received === "string" && received.length > 0) onData(received);
            resolve();
          });
          afterSend();
        }),
    );
  }

  /** Writes text as it is (stream links; console links use eval/call). */
  send(text: string): Promise<void> {
    const uart = this.uart();
    return new Promise<void>((resolve) => uart.write(text, () => resolve()));
  }

  private async open(first: (afterSend: () => void) => Promise<unknown>): Promise<void> {
    const bad = EspruinoLink.unsupported(this.env);
    if (bad) throw bad;
    filterUartLog();
    this.close();
    this.dropped = false;
    const bt = this.env.bluetooth!;
    const controller = new DeviceController();
    // A fresh UART per connection: the shared one stays busy forever after a mid-reply drop.
    const Uart = (sharedUart as unknown as { constructor: new () => UartInstance }).constructor;
    const uart = new Uart();
    (controller as unknown as { UART: UartInstance }).UART = uart;
    this.controller = controller;

    let chooser: Promise<BluetoothDeviceLike> | null = null;
    const original = bt.requestDevice;
    bt.requestDevice = (options: unknown) => {
      bt.requestDevice = original;
      const o = (options ?? {}) as { optionalServices?: string[] };
      chooser = original.call(bt, {
        filters: this.prefixes.map((p) => ({ namePrefix: p })),
        optionalServices: o.optionalServices ?? [NORDIC_UART_SERVICE],
      });
      chooser.then(
        (d) => {
          this.device = d;
          d.addEventListener("gattserverdisconnected", () => this.drop());
        },
        () => undefined,
      );
      return chooser;
    };
    const started = first(() => {
      // the library's modal is in the DOM now: choose Web Bluetooth in the same gesture
      const names = Array.from(this.env.document.querySelectorAll(".esp-tools-name"));
      const bluetooth = names.find((n) => (n.textContent ?? "").trim() === "Web Bluetooth");
      bluetooth?.parentElement?.click();
    });
    const failed = new Promise<never>((_, reject) => {
      const check = () => {
        if (!chooser) return void setTimeout(check, 50);
        chooser.then(
          () => {
            const watch = () => {
              const c = uart.getConnection();
              if (this.dropped || (c && !c.isOpen && !c.isOpening))
                reject(
                  new LinkError(
                    "connect_failed",
                    "could not connect: is the device near and blinking?",
                  ),
                );
              else if (!c || !c.isOpen) setTimeout(watch, 100);
            };
            watch();
          },
          (e: Error) =>
            reject(
              e && e.name === "NotFoundError"
                ? new LinkError("cancelled", "no device chosen")
                : new LinkError("connect_failed", "could not connect: " + (e?.message ?? e)),
            ),
        );
      };
      check();
    });
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new LinkError("timeout", "the device did not answer in time")),
        this.connectTimeoutMs,
      ),
    );
    try {
      await Promise.race([started, failed, timeout]);
    } catch (e) {
      bt.requestDevice = original;
      this.close();
      throw e;
    }
  }

  /** Evaluates a JavaScript expression on the device and returns its JSON value. */
  async eval<T>(expr: string): Promise<T> {
    const uart = this.uart();
    // Ctrl-C clears whatever a cut connection left in the line editor (answers are discarded).
    await new Promise<void>((resolve) => uart.write("\x03", () => resolve()));
    return this.evalRaw(expr, this.evalTimeoutMs) as Promise<T>;
  }

  /** Calls `fn(arg)` on the device with arg sent as ASCII JSON. */
  call<T>(fn: string, arg: unknown): Promise<T> {
    return this.eval<T>(fn + "(" + asciiJson(arg) + ")");
  }

  close(): void {
    const d = this.device;
    const c = this.controller;
    this.controller = null;
    this.device = null;
    if (c) (c as unknown as { UART: UartInstance }).UART.close();
    if (d?.gatt?.connected) d.gatt.disconnect();
    if (c || d) this.drop();
  }

  private uart(): UartInstance {
    if (!this.controller || this.dropped)
      throw new LinkError("disconnected", "not connected to a device");
    return (this.controller as unknown as { UART: UartInstance }).UART;
  }

  private drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    for (const fn of this.listeners.splice(0)) fn();
  }

  private evalRaw(expr: string, timeoutMs: number, afterSend?: () => void): Promise<unknown> {
    const controller = this.controller!;
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = (f: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(poll);
        f();
      };
      const timer = setTimeout(
        () => finish(() => reject(new LinkError("timeout", "the device did not answer in time"))),
        timeoutMs,
      );
      const poll = setInterval(() => {
        if (this.dropped)
          finish(() => reject(new LinkError("disconnected", "the connection dropped")));
      }, 50);
      // DeviceController.eval resolves {data, log} (its typings say T) and never rejects.
      void controller
        .eval<{ data: unknown; log: string }>(expr)
        .then((r) =>
          finish(() =>
            r && r.log === "success"
              ? resolve(r.data)
              : reject(new LinkError("garbled", "the device answered something unexpected")),
          ),
        );
      afterSend?.();
    });
  }
}

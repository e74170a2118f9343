// The simulator's programmatic API: runs an exact bundle from firmware/dist in an Espruino-like
// vm context on a virtual clock, with simulated sensors, radio and gateway. See firmware/README.md.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import {
  cmacKey,
  deriveDeviceKey,
  deviceConfig,
  deriveTimeKey,
  encodeTimeBeacon,
  fromHex,
  toHex,
  COMPANY_ID,
  frameInAdvertPacket,
  type CmacKey,
} from "@leiden-iot/protocol/device";
import { nodeAes128 } from "@leiden-iot/protocol";
import { createEspruinoContext, type DeviceHost } from "./espruino-context.js";
import { StepCounter } from "../steps/step-counter.js";
import { ImuSim, type StepDetector, type WristSource } from "./imu-sim.js";
import { RadioLog, type RadioLine } from "./ndjson-log.js";
import { Rn2483Sim } from "./rn2483-sim.js";
import { describeError, Scheduler } from "./scheduler.js";
import { Scd4xSim } from "./scd4x-sim.js";
import { StorageSim } from "./storage-sim.js";
import { UartConsole } from "./uart-console.js";
import { modulesOf } from "../build/targets.js";
import type { WalkSession } from "./walk.js";

export const FIRMWARE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const DEMO_MASTER_KEY = "000102030405060708090a0b0c0d0e0f";

export interface SimulationOptions {
  device: "band" | "classroom";
  board?: "puckjs2" | "banglejs2";
  /** Bundle to run; default firmware/dist/<device>-<board>.js (run `npm run build:firmware`). */
  bundle?: string;
  /** World start time, unix seconds. */
  start: number;
  /** Flash contents persist here between runs (JSON); none = in memory. */
  storageFile?: string;
  /** NDJSON radio stream written here (and kept in `radio`). */
  radioLog?: string;
  masterKey?: string; // hex; the deployment master key
  deviceId?: number;
  /** Written to liot.cfg when the Storage has none (what `npm run provision` does). */
  provision?: boolean;
  goal?: number;
  preset?: string;
  walks?: WalkSession[];
  /** "steps": the simulated IMU counts steps from the walk; "samples": through a step detector. */
  imu?: "steps" | "samples";
  /** The detector behind "samples" mode; default the firmware's software StepCounter. */
  stepDetector?: () => StepDetector;
  /** "samples" mode: the accelerometer reads this source (instead of synthetic gait samples for
   * `walks`); settable later as `Simulation.wrist`. */
  wrist?: WristSource;
  /** Is a gateway in BLE range at unix time t? Default: always. */
  gatewayInRange?: (t: number) => boolean;
  /** Is a gateway's signed time beacon receivable at t? Default: gatewayInRange. */
  timeBeacon?: (t: number) => boolean;
  /**
   * Other advertisers the band's scans hear besides the gateway (phones, beacons, other bands): a
   * busy room. Default none.
   */
  neighbours?: ScanDevice[];
  /** Cell voltage; default a fresh cell of the board (Puck.js CR2032 3000, Bangle.js 2 LiPo 3900). */
  batteryMv?: number;
  loraDr?: number;
  /** Classroom CO2 scenario, ppm at unix time t. */
  co2?: (t: number) => number;
  /** Is the device RTC set at start? Default true (false: starts at 0 like after power loss). */
  rtcSet?: boolean;
}

export interface PinEvent {
  t: number;
  pin: string;
  value: number;
  ms?: number;
}

export class Simulation implements DeviceHost {
  readonly board: "puckjs2" | "banglejs2";
  readonly sched: Scheduler;
  readonly storage: StorageSim;
  readonly log: RadioLog;
  readonly imu: ImuSim;
  readonly scd4x = new Scd4xSim();
  readonly rn2483: Rn2483Sim;
  readonly deviceKey: Uint8Array;
  readonly timeKey: CmacKey;
  readonly label: string;
  readonly pinEvents: PinEvent[] = [];
  readonly buzzes: { t: number; ms: number }[] = [];
  readonly output: string[] = [];
  /** The Nordic UART console a Web Bluetooth central talks to (uart-console.ts). */
  readonly uart: UartConsole = new UartConsole(this);
  walks: WalkSession[];
  /** In "samples" mode, what the accelerometer measures (null: synthetic gait during `walks`). */
  wrist: WristSource | null;
  batteryMv: number;
  gatewayInRange: (t: number) => boolean;
  timeBeacon: (t: number) => boolean;
  neighbours: ScanDevice[];
  /** Every NRF.findDevices scan: the filters passed, devices heard, and devices handed to JS. */
  readonly scans: { filters: unknown; heard: number; delivered: ScanDevice[] }[] = [];
  /** Current advertising state as the radio sees it. */
  advert: {
    packets: number[][];
    options: Record<string, unknown>;
    address: string;
    /** NRF.setScanResponse's packet (the name a scanning central sees; [] none). */
    scanResponse?: number[];
  } = {
    packets: [],
    options: {},
    address: "",
  };
  powered = false;
  private code: string;
  private rtcOffsetMs = 0;
  private deviceTimerIds: Record<number, number> = {};
  private nextDeviceTimer = 1;
  private watches: { fn: (e: unknown) => void; pin: string }[] = [];
  private pins: Record<string, number> = {};
  private serialCb: ((d: string) => void) | null = null;
  private serialUp = false;
  private serialBuf = "";
  private wasInRange = false;
  readonly opts: SimulationOptions;

  constructor(o: SimulationOptions) {
    this.opts = o;
    this.board = o.board ?? "puckjs2";
    const bundle =
      o.bundle ?? path.join(FIRMWARE_ROOT, "dist", o.device + "-" + this.board + ".js");
    try {
      this.code = readFileSync(bundle, "latin1");
    } catch {
      throw new Error("simulator: no bundle at " + bundle + ": run `npm run build:firmware` first");
    }
    this.sched = new Scheduler(o.start * 1000);
    this.storage = new StorageSim(o.storageFile ?? null, () => this.sched.now / 1000);
    // The Storage modules `npm run flash` writes next to the bundle (build/targets.ts MODULES).
    for (const m of modulesOf(o.device, this.board)) {
      const file = path.join(path.dirname(bundle), m.name + ".js");
      try {
        this.storage.files[m.storage] = readFileSync(file, "latin1");
      } catch {
        throw new Error("simulator: no module at " + file + ": run `npm run build:firmware` first");
      }
    }
    this.log = new RadioLog(o.radioLog ?? null);
    this.walks = o.walks ?? [];
    // A fresh cell of the board's chemistry: CR2032 3.0 V, Bangle.js 2's LiPo 3.9 V.
    this.batteryMv = o.batteryMv ?? (this.board === "banglejs2" ? 3900 : 3000);
    this.gatewayInRange = o.gatewayInRange ?? (() => true);
    this.timeBeacon = o.timeBeacon ?? ((t) => this.gatewayInRange(t));
    this.neighbours = o.neighbours ?? [];
    this.wrist = o.wrist ?? null;
    const imuMode = o.imu ?? "steps";
    this.imu = new ImuSim(
      () => this.walks,
      imuMode,
      o.stepDetector ?? (imuMode === "samples" ? () => new StepCounter() : null),
      () => this.wrist,
    );
    this.rn2483 = new Rn2483Sim(
      this.sched,
      (line) => this.serialFromModule(line),
      (u) =>
        this.log.add({
          t: u.t,
          channel: "lora",
          device: this.label,
          devEui: u.devEui,
          devAddr: u.devAddr,
          fCnt: u.fCnt,
          fPort: u.fPort,
          payload: u.payload,
          dataRate: "SF" + (12 - Math.min(u.dr, 5)) + "BW125",
          airtimeMs: u.airtimeMs,
        }),
    );
    if (o.loraDr !== undefined) this.rn2483.dr = o.loraDr;
    if (o.co2) this.scd4x.co2At = o.co2;
    const master = fromHex(o.masterKey ?? DEMO_MASTER_KEY)!;
    const id = o.deviceId ?? 257;
    this.label = o.device + "-" + id;
    this.deviceKey = deriveDeviceKey(nodeAes128, master, id);
    this.timeKey = cmacKey(nodeAes128, deriveTimeKey(nodeAes128, master));
    if (o.provision !== false && this.storage.files["liot.cfg"] === undefined) {
      (this.storage.api().write as (n: string, d: string) => boolean)(
        "liot.cfg",
        JSON.stringify(
          deviceConfig({
            device: o.device,
            deviceId: id,
            masterKey: master,
            goal: o.goal,
            preset: o.preset,
            aes: nodeAes128,
          }),
        ),
      );
      this.storage.writes.length = 0; // provisioning is not the firmware's wear
    }
    this.rtcOffsetMs = o.rtcSet === false ? -this.sched.now : 0;
    this.rn2483.powerOn();
    // The world checks BLE range once a minute: entering range, a gateway hears the current adverts.
    this.sched.add(60000, () => this.checkRange(), 60000, "world");
    this.boot();
  }

  // --- control --------------------------------------------------------------------------------

  /** World time, unix seconds. */
  now(): number {
    return this.sched.now / 1000;
  }
  advance(ms: number): void {
    this.sched.advance(ms);
  }
  advanceTo(unixSeconds: number): void {
    this.sched.advance(Math.max(0, unixSeconds * 1000 - this.sched.now));
  }
  get errors(): { at: number; message: string }[] {
    return this.sched.errors;
  }
  get radio(): RadioLine[] {
    return this.log.lines;
  }

  /** Cuts power for offMs (battery swap, brown-out): powerOff() now, powerOn() after offMs. */
  powerCut(offMs: number, keepModules?: boolean): void {
    this.powerOff(keepModules);
    this.sched.add(offMs, () => this.powerOn(keepModules), 0, "world");
  }

  /**
   * Cuts the device's power until powerOn(): RAM, timers, watches, advertising, the RTC and the
   * IMU's counter are lost; Storage survives. The RN2483 loses power too unless keepModules.
   */
  powerOff(keepModules?: boolean): void {
    if (!this.powered) return;
    this.powered = false;
    this.resetRam();
    this.uart.powerLost();
    this.advert = { packets: [], options: {}, address: "" };
    if (!keepModules) this.rn2483.asleep = false;
  }

  /** Restores power: the RTC restarts from 0, the IMU powers up, the app boots from Storage. */
  powerOn(keepModules?: boolean): void {
    if (this.powered) return;
    this.rtcOffsetMs = -this.sched.now; // the RTC restarts from 0
    if (!keepModules) this.rn2483.powerOn();
    this.boot();
  }

  /**
   * Espruino's load(): the app restarts from Storage; RAM, timers and watches are lost, while the
   * clock, the radio address, the IMU and the modules keep running (they keep their power).
   */
  reload(): void {
    if (!this.powered) throw new Error("reload: the device is powered off");
    this.resetRam();
    this.run();
  }

  private resetRam(): void {
    this.sched.clearDevice();
    this.deviceTimerIds = {};
    this.watches = [];
    this.serialCb = null;
  }

  /** Sets the device clock wrongly (a clock jump) by deltaSeconds. */
  jumpClock(deltaSeconds: number): void {
    this.rtcOffsetMs += deltaSeconds * 1000;
  }
  deviceTime(): number {
    return this.deviceNowMs() / 1000;
  }
  pressButton(): void {
    for (const w of this.watches.slice())
      if (w.pin === "BTN" || w.pin === "BTN1") w.fn({ state: true, time: this.deviceTime() });
  }
  setCo2(ppm: number): void {
    this.scd4x.co2At = null;
    this.scd4x.co2 = ppm;
  }
  ledState(): Record<string, number> {
    return { LED1: this.pins.LED1 ?? 0, LED2: this.pins.LED2 ?? 0, LED3: this.pins.LED3 ?? 0 };
  }

  private boot(): void {
    this.powered = true;
    this.imu.powerOn(this.now());
    this.run();
  }

  /** Runs the bundle in a fresh context (fresh RAM). */
  private run(): void {
    const ctx = createEspruinoContext(this);
    this.uart.attach(ctx);
    try {
      vm.runInContext(this.code, ctx, { filename: this.opts.device + "-" + this.board + ".js" });
    } catch (e) {
      this.sched.errors.push({ at: this.sched.now, message: describeError(e) });
    }
  }

  private checkRange(): void {
    const inRange = this.gatewayInRange(this.now());
    if (inRange && !this.wasInRange) this.logAdverts();
    this.wasInRange = inRange;
  }

  private logAdverts(): void {
    if (!this.powered || !this.gatewayInRange(this.now())) return;
    for (const p of this.advert.packets) {
      const data = manufacturerData(p);
      if (!data) continue;
      this.log.add({
        t: this.now(),
        channel: "ble",
        device: this.label,
        address: this.advert.address,
        data,
        rssi: -60,
      });
    }
  }

  // --- DeviceHost -----------------------------------------------------------------------------

  deviceNowMs(): number {
    return this.sched.now + this.rtcOffsetMs;
  }
  setDeviceTime(t: number): void {
    this.rtcOffsetMs = t * 1000 - this.sched.now;
  }
  addTimer(ms: number, fn: () => void, repeat: boolean): number {
    const id = this.nextDeviceTimer++;
    this.deviceTimerIds[id] = this.sched.add(ms, fn, repeat ? Math.max(1, ms) : 0, "device");
    return id;
  }
  cancelTimer(id: number): void {
    const s = this.deviceTimerIds[id];
    if (s !== undefined) this.sched.cancel(s);
    delete this.deviceTimerIds[id];
  }
  get storageApi(): Record<string, unknown> {
    return this.storage.api();
  }
  advertise(data: unknown, options: Record<string, unknown> | undefined): void {
    // As Espruino: a packet is an array of bytes or a typed array; an array of them is a rotation.
    const isBytes = (p: unknown): p is ArrayLike<number> =>
      Array.isArray(p) || ArrayBuffer.isView(p);
    const list: unknown[] =
      Array.isArray(data) && data.length > 0 && isBytes(data[0]) ? data : [data];
    const packets: number[][] = [];
    for (const p of list) {
      if (!isBytes(p) || p.length > 31) throw new Error("NRF.setAdvertising: packet over 31 bytes");
      packets.push(Array.prototype.slice.call(p) as number[]);
    }
    this.advert = {
      packets,
      options: options ?? {},
      address: this.advert.address,
      scanResponse: this.advert.scanResponse,
    };
    this.logAdverts();
  }
  setScanResponse(data: unknown): void {
    const p = ArrayBuffer.isView(data) || Array.isArray(data) ? (data as ArrayLike<number>) : null;
    if (!p || p.length > 31) throw new Error("NRF.setScanResponse: expected up to 31 bytes");
    this.advert.scanResponse = Array.prototype.slice.call(p) as number[];
  }
  setAddress(addr: string): void {
    if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2} random$/.test(addr))
      throw new Error("NRF.setAddress: expected 'aa:bb:cc:dd:ee:ff random', got " + addr);
    this.advert.address = addr.split(" ")[0]!;
  }
  findDevices(cb: (devices: unknown[]) => void, options: Record<string, unknown>): void {
    const ms = typeof options.timeout === "number" ? options.timeout : 2000;
    const filters = options.filters;
    this.sched.add(
      ms,
      () => {
        if (!this.powered) return;
        const heard: ScanDevice[] = this.neighbours.slice();
        if (this.timeBeacon(this.now())) {
          const beacon = encodeTimeBeacon(Math.floor(this.now()), this.timeKey);
          heard.push({
            id: "gw-sim public",
            rssi: -55,
            manufacturer: COMPANY_ID,
            manufacturerData: Array.prototype.slice.call(beacon),
          });
        }
        // Espruino filters each advert before findDevices keeps it: only matches take RAM.
        const found = heard.filter((d) => matchesFilters(d, filters));
        this.scans.push({ filters, heard: heard.length, delivered: found });
        cb(found);
      },
      0,
      "device",
    );
  }
  batteryVolts(): number {
    return this.batteryMv / 1000;
  }
  batteryPercent(): number {
    return Math.max(0, Math.min(100, Math.round(((this.batteryMv - 2000) / 1000) * 100)));
  }
  charging(): boolean {
    return false;
  }
  pin(name: string): { write(v: unknown): void; read(): boolean } {
    return {
      write: (v) => this.digitalWrite(name, v),
      read: () => (name.startsWith("BTN") ? false : !!this.pins[name]),
    };
  }
  digitalWrite(pin: string, v: unknown): void {
    const value = v ? 1 : 0;
    if (pin === "D29" && !this.serialUp && value === 0) this.rn2483.uartBreak();
    if (this.pins[pin] !== value) this.pinEvents.push({ t: this.now(), pin, value });
    this.pins[pin] = value;
  }
  pulse(pin: string, ms: number): void {
    this.pinEvents.push({ t: this.now(), pin, value: 1, ms });
  }
  buzz(ms: number): void {
    this.buzzes.push({ t: this.now(), ms });
  }
  watch(fn: (e: unknown) => void, pin: string): number {
    this.watches.push({ fn, pin });
    return this.watches.length;
  }
  accelOn(_rate: number): void {
    /* the firmware configures the IMU registers itself */
  }
  accelOff(): void {
    this.imu.write(0x10, 0, this.now());
  }
  accelWr(reg: number, val: number): void {
    this.imu.write(reg, val, this.now());
  }
  accelRd(reg: number): number {
    return this.imu.read(reg, this.now());
  }
  stepCount(): number {
    // Bangle.js: the firmware's own step counter, fed by the same simulated wrist.
    if (!this.imu.active()) {
      this.imu.write(0x10, 0x20, this.now());
      this.imu.write(0x19, 0x14, this.now());
    }
    return this.imu.total(this.now());
  }
  i2cWrite(addr: number, data: ArrayLike<number>): void {
    if (addr !== 0x62) throw new Error("I2C: no device at 0x" + addr.toString(16));
    this.scd4x.write(data, this.now());
  }
  i2cRead(addr: number, n: number): number[] {
    if (addr !== 0x62) throw new Error("I2C: no device at 0x" + addr.toString(16));
    return this.scd4x.read(n);
  }
  serialSetup(baud: number): void {
    this.serialUp = true;
    this.rn2483.baudOk = baud === 57600;
  }
  serialUnsetup(): void {
    this.serialUp = false;
  }
  serialWrite(s: string): void {
    this.serialBuf += s.split("\x55").join("");
    let i = this.serialBuf.indexOf("\r\n");
    while (i >= 0) {
      const line = this.serialBuf.substring(0, i);
      this.serialBuf = this.serialBuf.substring(i + 2);
      this.rn2483.line(line);
      i = this.serialBuf.indexOf("\r\n");
    }
  }
  serialOnData(cb: (d: string) => void): void {
    this.serialCb = cb;
  }
  private serialFromModule(line: string): void {
    if (this.powered && this.serialCb && this.serialUp) {
      const cb = this.serialCb;
      try {
        cb(line + "\r\n");
      } catch (e) {
        this.sched.errors.push({ at: this.sched.now, message: describeError(e) });
      }
    }
  }
  consoleLog(s: string): void {
    this.output.push(s);
  }
}

/** Manufacturer data (hex, without company id 0x0590) of a raw advertising packet. */
export function manufacturerData(p: number[]): string | null {
  const frame = frameInAdvertPacket(p);
  return frame ? toHex(frame) : null;
}

export function createSimulation(o: SimulationOptions): Simulation {
  return new Simulation(o);
}

/** An advert as NRF.findDevices reports it (the fields the simulator models). */
export interface ScanDevice {
  id: string;
  rssi: number;
  manufacturer?: number;
  manufacturerData?: number[];
  name?: string;
}

/**
 * Espruino's scan filters (NRF.requestDevice): a device passes when any filter matches. The
 * simulator models `manufacturerData: { <company id>: {} }` (every listed id must be the advert's)
 * and `name`; anything else is refused rather than silently ignored.
 */
export function matchesFilters(d: ScanDevice, filters: unknown): boolean {
  if (filters === undefined) return true;
  if (!Array.isArray(filters)) throw new Error("findDevices: filters must be an array");
  return filters.some((f: Record<string, unknown>) => {
    for (const k of Object.keys(f)) {
      if (k === "manufacturerData") {
        const ids = Object.keys(f[k] as object).map(Number);
        if (ids.length === 0 || !ids.every((id) => d.manufacturer === id && d.manufacturerData))
          return false;
      } else if (k === "name") {
        if (d.name !== f[k]) return false;
      } else throw new Error("findDevices: the simulator does not model filter " + k);
    }
    return true;
  });
}

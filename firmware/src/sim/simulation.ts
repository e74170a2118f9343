// The simulator's programmatic API: runs an exact bundle from firmware/dist in an Espruino-like
// vm context on a virtual clock, with simulated sensors, radio and gateway. See firmware/README.md.
// Simulation is the world and its controls (time, power, the room); the parts are their own
// modules: the device clock (device-clock.ts), the Espruino host API (espruino-host.ts), the BLE
// radio (ble-radio.ts), provisioning (provisioning.ts) and the firmware files (firmware-files.ts).
import vm from "node:vm";
import type { CmacKey } from "@leiden-iot/protocol/device";
import { BleRadio, type AdvertState, type ScanDevice } from "./ble-radio.js";
import { DeviceClock } from "./device-clock.js";
import { createEspruinoContext } from "./espruino-context.js";
import { EspruinoHost, type PinEvent } from "./espruino-host.js";
import { readFirmwareImage } from "./firmware-files.js";
import { StepCounter } from "../steps/step-counter.js";
import { ImuSim, type StepDetector, type WristSource } from "./imu-sim.js";
import { loraLine, RadioLog, type RadioLine } from "./ndjson-log.js";
import { deviceKeysOf, provisionStorage, type ProvisionOptions } from "./provisioning.js";
import { Rn2483Sim } from "./rn2483-sim.js";
import { describeError, Scheduler } from "./scheduler.js";
import { Scd4xSim } from "./scd4x-sim.js";
import { StorageSim } from "./storage-sim.js";
import { UartConsole } from "./uart-console.js";
import type { WalkSession } from "./walk.js";

export { manufacturerData, matchesFilters, type ScanDevice } from "./ble-radio.js";
export type { PinEvent } from "./espruino-host.js";
export { FIRMWARE_ROOT } from "./firmware-files.js";
export { DEMO_MASTER_KEY } from "./provisioning.js";

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
   * Other advertisers the band's scans hear besides the gateway (phones, BLE tags, other bands): a
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

export class Simulation {
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
  /** The Nordic UART console a Web Bluetooth central talks to (uart-console.ts). */
  readonly uart: UartConsole = new UartConsole(this);
  walks: WalkSession[];
  /** In "samples" mode, what the accelerometer measures (null: synthetic gait during `walks`). */
  wrist: WristSource | null;
  batteryMv: number;
  gatewayInRange: (t: number) => boolean;
  timeBeacon: (t: number) => boolean;
  neighbours: ScanDevice[];
  powered = false;
  readonly opts: SimulationOptions;
  private readonly code: string;
  private readonly filename: string;
  private readonly clock: DeviceClock;
  private readonly ble: BleRadio;
  private readonly host: EspruinoHost;

  constructor(o: SimulationOptions) {
    this.opts = o;
    this.board = o.board ?? "puckjs2";
    const image = readFirmwareImage(o.device, this.board, o.bundle);
    this.code = image.code;
    this.filename = image.filename;
    this.sched = new Scheduler(o.start * 1000);
    this.clock = new DeviceClock(this.sched);
    this.storage = new StorageSim(o.storageFile ?? null, () => this.sched.now / 1000);
    for (const m of image.modules) this.storage.files[m.storage] = m.code;
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
    const id = o.deviceId ?? 257;
    this.label = o.device + "-" + id;
    this.rn2483 = new Rn2483Sim(
      this.sched,
      (line) => this.host.serialFromModule(line),
      (u) => this.log.add(loraLine(this.label, u)),
    );
    if (o.loraDr !== undefined) this.rn2483.dr = o.loraDr;
    if (o.co2) this.scd4x.co2At = o.co2;
    const provisioning: ProvisionOptions = {
      device: o.device,
      deviceId: id,
      masterKey: o.masterKey,
      goal: o.goal,
      preset: o.preset,
    };
    const keys = deviceKeysOf(provisioning);
    this.deviceKey = keys.deviceKey;
    this.timeKey = keys.timeKey;
    this.ble = new BleRadio(this, this.sched, this.log, this.label, this.timeKey);
    this.host = new EspruinoHost({
      board: this.board,
      world: this,
      sched: this.sched,
      clock: this.clock,
      storage: this.storage,
      radio: this.ble,
      imu: this.imu,
      scd4x: this.scd4x,
      rn2483: this.rn2483,
    });
    if (o.provision !== false) provisionStorage(this.storage, provisioning);
    if (o.rtcSet === false) this.clock.restart();
    this.rn2483.powerOn();
    // The world checks BLE range once a minute: entering range, a gateway hears the current adverts.
    this.sched.add(60000, () => this.ble.checkRange(), 60000, "world");
    this.boot();
  }

  // --- what the device did --------------------------------------------------------------------

  /** Current advertising state as the radio sees it. */
  get advert(): AdvertState {
    return this.ble.advert;
  }
  /** Every NRF.findDevices scan: the filters passed, devices heard, and devices handed to JS. */
  get scans(): BleRadio["scans"] {
    return this.ble.scans;
  }
  get pinEvents(): PinEvent[] {
    return this.host.pinEvents;
  }
  get buzzes(): { t: number; ms: number }[] {
    return this.host.buzzes;
  }
  /** What the firmware printed (console.log). */
  get output(): string[] {
    return this.host.output;
  }
  get errors(): { at: number; message: string }[] {
    return this.sched.errors;
  }
  get radio(): RadioLine[] {
    return this.log.lines;
  }
  ledState(): Record<string, number> {
    return this.host.ledState();
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
    this.ble.powerLost();
    if (!keepModules) this.rn2483.asleep = false;
  }

  /** Restores power: the RTC restarts from 0, the IMU powers up, the app boots from Storage. */
  powerOn(keepModules?: boolean): void {
    if (this.powered) return;
    this.clock.restart();
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

  /** Sets the device clock wrongly (a clock jump) by deltaSeconds. */
  jumpClock(deltaSeconds: number): void {
    this.clock.jump(deltaSeconds);
  }
  /** Sets the device clock as the firmware's setTime(t) does. */
  setDeviceTime(t: number): void {
    this.clock.set(t);
  }
  /** The device's RTC, unix seconds. */
  deviceTime(): number {
    return this.clock.nowMs() / 1000;
  }
  /** Runs fn after ms of device time (a device timer: lost on power cut / reload). */
  addTimer(ms: number, fn: () => void, repeat: boolean): number {
    return this.clock.addTimer(ms, fn, repeat);
  }
  pressButton(): void {
    this.host.pressButton();
  }
  setCo2(ppm: number): void {
    this.scd4x.co2At = null;
    this.scd4x.co2 = ppm;
  }

  private resetRam(): void {
    this.clock.clearTimers();
    this.host.resetRam();
  }

  private boot(): void {
    this.powered = true;
    this.imu.powerOn(this.now());
    this.run();
  }

  /** Runs the bundle in a fresh context (fresh RAM). */
  private run(): void {
    const ctx = createEspruinoContext(this.host);
    this.uart.attach(ctx);
    try {
      vm.runInContext(this.code, ctx, { filename: this.filename });
    } catch (e) {
      this.sched.errors.push({ at: this.sched.now, message: describeError(e) });
    }
  }
}

export function createSimulation(o: SimulationOptions): Simulation {
  return new Simulation(o);
}

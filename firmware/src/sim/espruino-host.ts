// The Espruino host API a bundle's context calls (espruino-context.ts DeviceHost), backed by the
// simulated parts: the device clock, Storage, the BLE radio, pins and button watches, the IMU, the
// SCD4x on I2C, the RN2483 on Serial1, the battery and the console.
import type { BleRadio } from "./ble-radio.js";
import type { DeviceClock } from "./device-clock.js";
import type { DeviceHost } from "./espruino-context.js";
import type { ImuSim } from "./imu-sim.js";
import type { Rn2483Sim } from "./rn2483-sim.js";
import { describeError, type Scheduler } from "./scheduler.js";
import type { Scd4xSim } from "./scd4x-sim.js";
import type { StorageSim } from "./storage-sim.js";

export interface PinEvent {
  t: number;
  pin: string;
  value: number;
  ms?: number;
}

/** What the host reads of the world at every call (tests change the battery as they go). */
export interface HostWorld {
  readonly powered: boolean;
  /** World time, unix seconds. */
  now(): number;
  readonly batteryMv: number;
}

export interface HostParts {
  board: "puckjs2" | "banglejs2";
  world: HostWorld;
  sched: Scheduler;
  clock: DeviceClock;
  storage: StorageSim;
  radio: BleRadio;
  imu: ImuSim;
  scd4x: Scd4xSim;
  rn2483: Rn2483Sim;
}

export class EspruinoHost implements DeviceHost {
  readonly board: "puckjs2" | "banglejs2";
  readonly pinEvents: PinEvent[] = [];
  readonly buzzes: { t: number; ms: number }[] = [];
  readonly output: string[] = [];
  private watches: { fn: (e: unknown) => void; pin: string }[] = [];
  private pins: Record<string, number> = {};
  private serialCb: ((d: string) => void) | null = null;
  private serialUp = false;
  private serialBuf = "";

  constructor(private readonly p: HostParts) {
    this.board = p.board;
  }

  /** RAM lost: setWatch and Serial1.on("data") handlers are gone (pins and the UART keep state). */
  resetRam(): void {
    this.watches = [];
    this.serialCb = null;
  }
  /** A press of the board's button, to every watch on it. */
  pressButton(): void {
    for (const w of this.watches.slice())
      if (w.pin === "BTN" || w.pin === "BTN1")
        w.fn({ state: true, time: this.p.clock.nowMs() / 1000 });
  }
  ledState(): Record<string, number> {
    return { LED1: this.pins.LED1 ?? 0, LED2: this.pins.LED2 ?? 0, LED3: this.pins.LED3 ?? 0 };
  }
  /** A line from the RN2483 to the firmware's Serial1 handler (while powered and set up). */
  serialFromModule(line: string): void {
    if (this.p.world.powered && this.serialCb && this.serialUp) {
      const cb = this.serialCb;
      try {
        cb(line + "\r\n");
      } catch (e) {
        this.p.sched.errors.push({ at: this.p.sched.now, message: describeError(e) });
      }
    }
  }

  // --- DeviceHost -----------------------------------------------------------------------------

  deviceNowMs(): number {
    return this.p.clock.nowMs();
  }
  setDeviceTime(t: number): void {
    this.p.clock.set(t);
  }
  addTimer(ms: number, fn: () => void, repeat: boolean): number {
    return this.p.clock.addTimer(ms, fn, repeat);
  }
  cancelTimer(id: number): void {
    this.p.clock.cancelTimer(id);
  }
  get storageApi(): Record<string, unknown> {
    return this.p.storage.api();
  }
  advertise(data: unknown, options: Record<string, unknown> | undefined): void {
    this.p.radio.advertise(data, options);
  }
  setScanResponse(data: unknown): void {
    this.p.radio.setScanResponse(data);
  }
  setAddress(addr: string): void {
    this.p.radio.setAddress(addr);
  }
  findDevices(cb: (devices: unknown[]) => void, options: Record<string, unknown>): void {
    this.p.radio.findDevices(cb, options);
  }
  batteryVolts(): number {
    return this.p.world.batteryMv / 1000;
  }
  batteryPercent(): number {
    return Math.max(0, Math.min(100, Math.round(((this.p.world.batteryMv - 2000) / 1000) * 100)));
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
    if (pin === "D29" && !this.serialUp && value === 0) this.p.rn2483.uartBreak();
    if (this.pins[pin] !== value) this.pinEvents.push({ t: this.p.world.now(), pin, value });
    this.pins[pin] = value;
  }
  pulse(pin: string, ms: number): void {
    this.pinEvents.push({ t: this.p.world.now(), pin, value: 1, ms });
  }
  buzz(ms: number): void {
    this.buzzes.push({ t: this.p.world.now(), ms });
  }
  watch(fn: (e: unknown) => void, pin: string): number {
    this.watches.push({ fn, pin });
    return this.watches.length;
  }
  accelOn(_rate: number): void {
    /* the firmware configures the IMU registers itself */
  }
  accelOff(): void {
    this.p.imu.write(0x10, 0, this.p.world.now());
  }
  accelWr(reg: number, val: number): void {
    this.p.imu.write(reg, val, this.p.world.now());
  }
  accelRd(reg: number): number {
    return this.p.imu.read(reg, this.p.world.now());
  }
  stepCount(): number {
    // Bangle.js: the firmware's own step counter, fed by the same simulated wrist.
    const imu = this.p.imu;
    const now = this.p.world.now();
    if (!imu.active()) {
      imu.write(0x10, 0x20, now);
      imu.write(0x19, 0x14, now);
    }
    return imu.total(now);
  }
  i2cWrite(addr: number, data: ArrayLike<number>): void {
    if (addr !== 0x62) throw new Error("I2C: no device at 0x" + addr.toString(16));
    this.p.scd4x.write(data, this.p.world.now());
  }
  i2cRead(addr: number, n: number): number[] {
    if (addr !== 0x62) throw new Error("I2C: no device at 0x" + addr.toString(16));
    return this.p.scd4x.read(n);
  }
  serialSetup(baud: number): void {
    this.serialUp = true;
    this.p.rn2483.baudOk = baud === 57600;
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
      this.p.rn2483.line(line);
      i = this.serialBuf.indexOf("\r\n");
    }
  }
  serialOnData(cb: (d: string) => void): void {
    this.serialCb = cb;
  }
  consoleLog(s: string): void {
    this.output.push(s);
  }
}

// A Node `vm` context whose globals are a faithful subset of Espruino's: the built-ins Espruino
// lacks are deleted, and NRF, E, Puck/Bangle, pins, Serial1, I2C1, Storage, crypto and timers are
// backed by the simulated world. A bundle that uses Map, Array.from, ... fails here as on a Puck.
import { createCipheriv } from "node:crypto";
import vm from "node:vm";
import { BOARD_CRYPTO } from "../hal/board-crypto.js";

/** What the context asks of the simulation. */
export interface DeviceHost {
  board: "puckjs2" | "banglejs2";
  deviceNowMs(): number; // the device's RTC in unix ms
  setDeviceTime(unixSeconds: number): void;
  addTimer(ms: number, fn: () => void, repeat: boolean): number;
  cancelTimer(id: number): void;
  readonly storageApi: Record<string, unknown>;
  advertise(data: unknown, options: Record<string, unknown> | undefined): void;
  /** NRF.setScanResponse: the raw scan response packet (the name in live mode). */
  setScanResponse(data: unknown): void;
  setAddress(addr: string): void;
  findDevices(cb: (devices: unknown[]) => void, options: Record<string, unknown>): void;
  batteryVolts(): number;
  batteryPercent(): number;
  charging(): boolean;
  pin(name: string): { write(v: unknown): void; read(): boolean };
  pulse(pin: string, ms: number): void;
  buzz(ms: number): void;
  watch(fn: (e: unknown) => void, pin: string): number;
  accelOn(rate: number): void;
  accelOff(): void;
  accelWr(reg: number, val: number): void;
  accelRd(reg: number): number;
  stepCount(): number;
  i2cWrite(addr: number, data: ArrayLike<number>): void;
  i2cRead(addr: number, n: number): number[];
  serialSetup(baud: number): void;
  serialUnsetup(): void;
  serialWrite(s: string): void;
  serialOnData(cb: (d: string) => void): void;
  digitalWrite(pin: string, v: unknown): void;
  consoleLog(s: string): void;
}

/** Espruino has none of these (ESPRUINO.md); deleting them makes the simulator as strict. */
const REMOVE = `
  delete globalThis.Map; delete globalThis.Set; delete globalThis.WeakMap; delete globalThis.WeakSet;
  delete globalThis.Symbol; delete globalThis.Proxy; delete globalThis.Reflect; delete globalThis.BigInt;
  delete globalThis.WeakRef; delete globalThis.FinalizationRegistry; delete globalThis.Intl;
  delete Array.from; delete Array.of; delete Object.freeze; delete Object.fromEntries;
  delete Number.isInteger; delete Number.isSafeInteger; delete Math.trunc;
  delete Promise.prototype.finally;
`;

function aesEcb(msg: ArrayLike<number> | string, key: ArrayLike<number> | string): ArrayBuffer {
  const bytes = (v: ArrayLike<number> | string): Buffer =>
    typeof v === "string" ? Buffer.from(v, "latin1") : Buffer.from(Array.prototype.slice.call(v));
  const c = createCipheriv("aes-128-ecb", bytes(key), null);
  c.setAutoPadding(false);
  const out = Buffer.concat([c.update(bytes(msg)), c.final()]);
  return out.buffer.slice(out.byteOffset, out.byteOffset + out.length);
}

export function createEspruinoContext(host: DeviceHost): vm.Context {
  const ctx = vm.createContext({});
  vm.runInContext(REMOVE, ctx);
  const pins: Record<string, unknown> = {};
  for (const n of ["LED1", "LED2", "LED3", "BTN", "BTN1", "D1", "D2", "D3", "D28", "D29"]) {
    const p = host.pin(n);
    pins[n] = {
      write: (v: unknown) => p.write(v),
      set: () => p.write(1),
      reset: () => p.write(0),
      read: () => p.read(),
      toString: () => n,
    };
  }
  const pinName = (p: unknown): string => String(p);
  const modules: Record<string, unknown> = {
    Storage: host.storageApi,
    // Exactly the board's crypto modules (hal/board-crypto.ts): Bangle.js 2 has no crypto.AES.
    crypto: BOARD_CRYPTO[host.board].aes
      ? {
          AES: {
            encrypt: (
              msg: ArrayLike<number> | string,
              key: ArrayLike<number> | string,
              o?: { mode?: string },
            ) => {
              if (o && o.mode && o.mode !== "ECB")
                throw new Error("sim: only AES ECB is simulated");
              return aesEcb(msg, key);
            },
          },
        }
      : {},
  };
  // As Espruino: a name that is no built-in module loads the Storage file of that name as a
  // module (its code sees `exports` and `module`), once; later calls get the cached exports.
  const loaded: Record<string, unknown> = {};
  const storageModule = (name: string): unknown => {
    if (name in loaded) return loaded[name];
    const code = (host.storageApi.read as (n: string) => string | undefined)(name);
    if (typeof code !== "string") throw new Error('Module "' + name + '" not found');
    const module = { exports: {} as Record<string, unknown> };
    const fn = vm.runInContext("(function(exports,module){" + code + "\n})", ctx, {
      filename: name,
    }) as (e: unknown, m: unknown) => void;
    fn(module.exports, module);
    loaded[name] = module.exports;
    return module.exports;
  };
  const g: Record<string, unknown> = {
    global: ctx,
    require: (name: string) => (name in modules ? modules[name] : storageModule(name)),
    getTime: () => host.deviceNowMs() / 1000,
    setTime: (t: number) => host.setDeviceTime(t),
    setTimeout: (fn: () => void, ms?: number) => host.addTimer(ms || 0, fn, false),
    setInterval: (fn: () => void, ms?: number) => host.addTimer(ms || 0, fn, true),
    clearTimeout: (id: number) => host.cancelTimer(id),
    clearInterval: (id: number) => host.cancelTimer(id),
    setWatch: (fn: (e: unknown) => void, pin: unknown) => host.watch(fn, pinName(pin)),
    digitalPulse: (pin: unknown, _v: unknown, ms: number) => host.pulse(pinName(pin), ms),
    digitalWrite: (pin: unknown, v: unknown) => host.digitalWrite(pinName(pin), v),
    // Bangle.js 2's battery pin D3: the LiPo through a divider, 0.3144 at 4.2 V (hal/banglejs2.ts).
    analogRead: (pin: unknown) =>
      host.board === "banglejs2" && pinName(pin) === "D3"
        ? (host.batteryVolts() / 4.2) * 0.3144
        : 0,
    console: { log: (...a: unknown[]) => host.consoleLog(a.join(" ")) },
    print: (...a: unknown[]) => host.consoleLog(a.join(" ")),
    NRF: {
      setAdvertising: (d: unknown, o?: Record<string, unknown>) => host.advertise(d, o),
      setScanResponse: (d: unknown) => host.setScanResponse(d),
      setAddress: (a: string) => host.setAddress(a),
      findDevices: (cb: (d: unknown[]) => void, o: Record<string, unknown>) =>
        host.findDevices(cb, o || {}),
      // Bangle.js 2: the chip's regulated supply, not the battery (that is on pin D3).
      getBattery: () => (host.board === "banglejs2" ? 3.3 : host.batteryVolts()),
    },
    E: {
      getBattery: () => host.batteryPercent(),
      setTimeZone: () => undefined,
    },
    Serial1: {
      setup: (baud: number) => host.serialSetup(baud),
      unsetup: () => host.serialUnsetup(),
      write: (s: string) => host.serialWrite(String(s)),
      on: (ev: string, cb: (d: string) => void) => {
        if (ev === "data") host.serialOnData(cb);
      },
    },
    I2C1: {
      setup: () => undefined,
      writeTo: (addr: number, data: ArrayLike<number>) => host.i2cWrite(addr, data),
      readFrom: (addr: number, n: number) => new Uint8Array(host.i2cRead(addr, n)),
    },
  };
  if (host.board === "puckjs2") {
    g.Puck = {
      accelOn: (rate: number) => host.accelOn(rate),
      accelOff: () => host.accelOff(),
      accelWr: (reg: number, val: number) => host.accelWr(reg, val),
      accelRd: (reg: number) => host.accelRd(reg),
    };
  } else {
    g.Bangle = {
      getStepCount: () => host.stepCount(),
      buzz: (ms: number) => {
        host.buzz(ms);
        return Promise.resolve();
      },
      isCharging: () => host.charging(),
      on: () => undefined,
      getHealthStatus: () => ({ steps: host.stepCount() }),
    };
  }
  Object.assign(ctx, pins, g);
  return ctx;
}

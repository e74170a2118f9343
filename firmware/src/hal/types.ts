// Hardware abstraction: the only things app logic may touch. Each interface is small on purpose;
// boards implement them (puckjs2.ts, banglejs2.ts) on Espruino globals, and the simulator provides
// those globals (src/sim), so the same bundle runs on hardware and in the simulator.
import type { Aes128 } from "@leiden-iot/protocol/device";

export interface Clock {
  /** Unix time in seconds (fractional). */
  now(): number;
  /** Sets the wall clock (after a time beacon or a downlink). */
  set(unixSeconds: number): void;
}

export interface Timers {
  every(ms: number, fn: () => void): unknown;
  after(ms: number, fn: () => void): unknown;
  cancel(id: unknown): void;
}

/** Flash key-value storage (Espruino `require("Storage")`): whole-file writes, 8-bit strings. */
export interface FileStore {
  read(name: string): string | undefined;
  /** false when the write failed (flash full, ...). */
  write(name: string, data: string): boolean;
  erase(name: string): void;
}

/**
 * One raw BLE advertising packet (AD structures, <= 31 bytes). A Uint8Array: on a Puck.js a
 * 28-byte plain array holds ~33 variables, a Uint8Array ~8 (measured on the interpreter).
 */
export type AdvertPacket = Uint8Array;

export interface Radio {
  /** Rotates through the packets without waking JS; non-connectable, non-scannable. */
  advertise(packets: AdvertPacket[], intervalMs: number): void;
  /** Random static address "aa:bb:cc:dd:ee:ff". */
  setAddress(address: string): void;
  /** Scans for ms and calls back with the manufacturer data (company 0x0590) heard. */
  scan(ms: number, done: (frames: Uint8Array[]) => void): void;
}

/** A hardware step counter read as a cumulative raw value that wraps at `modulus`. */
export interface Pedometer {
  readonly modulus: number;
  /** Configures the sensor; false when it does not answer (sensor fault). */
  start(): boolean;
  /** Current raw count, or null when the sensor cannot be read. */
  read(): number | null;
}

/** Raw accelerometer samples (boards without a hardware pedometer). */
export interface Accelerometer {
  on(rateHz: number, sample: (x: number, y: number, z: number) => void): void;
  off(): void;
}

export interface I2CBus {
  write(address: number, bytes: number[]): boolean;
  /** null when the device does not acknowledge. */
  read(address: number, count: number): Uint8Array | null;
}

export interface LineSerial {
  open(baud: number, onLine: (line: string) => void): void;
  write(text: string): void;
  /** UART break followed by 0x55 (wakes and auto-bauds an RN2483 from `sys sleep`). */
  sendBreak(): void;
}

/** Short user feedback: an LED blink (Puck) or a vibration (Bangle). */
export interface Feedback {
  pulse(ms: number): void;
}

export type LightColour = "green" | "orange" | "red" | "off";

export interface Lights {
  show(colour: LightColour): void;
}

export interface Battery {
  /** Below this (mV) the cell is nearly empty: the board's own chemistry (CR2032, LiPo). */
  readonly lowMv: number;
  /** Cell voltage in mV, null when unknown. */
  millivolts(): number | null;
  /** True on mains/USB. */
  external(): boolean;
}

export interface Button {
  onPress(fn: () => void): void;
}

/** Why the program (re)started. */
export interface Boot {
  /** True after power loss / brown-out / hard reset (RAM lost); false after a soft reload. */
  coldStart(): boolean;
}

export interface BandBoard {
  name: string;
  clock: Clock;
  timers: Timers;
  store: FileStore;
  radio: Radio;
  pedometer: Pedometer;
  feedback: Feedback;
  battery: Battery;
  button: Button;
  aes: Aes128;
}

export interface ClassroomBoard {
  name: string;
  clock: Clock;
  timers: Timers;
  store: FileStore;
  radio: Radio;
  i2c: I2CBus;
  serial: LineSerial;
  lights: Lights;
  battery: Battery;
  button: Button;
  aes: Aes128;
}

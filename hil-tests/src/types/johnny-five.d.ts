// The part of johnny-five 2.x this package uses (it ships no types).
declare module "johnny-five" {
  import { EventEmitter } from "node:events";

  export interface BoardOptions {
    io?: EventEmitter;
    port?: unknown;
    repl?: boolean;
    debug?: boolean;
    timeout?: number;
    id?: string;
  }

  export class Board extends EventEmitter {
    constructor(options?: BoardOptions);
    isReady: boolean;
    io: EventEmitter & Record<string, unknown>;
    MODES: Record<string, number>;
    pinMode(pin: number | string, mode: number): this;
  }

  export interface ComponentOptions {
    pin: number | string;
    board?: Board;
  }

  export class Servo extends EventEmitter {
    constructor(options: ComponentOptions & { startAt?: number; range?: [number, number] });
    to(degrees: number, ms?: number, rate?: number): this;
    readonly value: number;
  }

  export class Relay {
    constructor(options: ComponentOptions & { type?: "NO" | "NC" });
    /** Closes the circuit: the load is on. */
    close(): this;
    /** Opens the circuit: the load is off. */
    open(): this;
    readonly isClosed: boolean;
  }

  export class Sensor extends EventEmitter {
    constructor(options: ComponentOptions & { freq?: number; threshold?: number });
    /** The latest raw ADC value (null before the first report). */
    readonly raw: number | null;
    readonly value: number;
    disable(): void;
  }

  const five: {
    Board: typeof Board;
    Servo: typeof Servo;
    Relay: typeof Relay;
    Sensor: typeof Sensor;
  };
  export default five;
}

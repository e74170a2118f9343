// A johnny-five IO plugin backed by the simulator instead of a Firmata board. It lays out its pins
// like an Arduino Uno (digital 0-13, A0-A5 = pins 14-19) and follows Firmata's conventions (an
// analog pin is addressed by its channel in pinMode(.., ANALOG) and analogRead), so the rig config
// and the scenario code are the same for both. What a write does, and what a read returns, is
// decided by the `SimWiring` the simulator binding provides.
import { EventEmitter } from "node:events";

export const MODES = { INPUT: 0, OUTPUT: 1, ANALOG: 2, PWM: 3, SERVO: 4 } as const;

const DIGITAL_PINS = 14;
const ANALOG_PINS = 6;

export interface SimWiring {
  /** A digital output changed (relays). */
  digitalWrite?(pin: number, value: 0 | 1): void;
  /** A servo was told to move to this angle, degrees. */
  servo?(pin: number, degrees: number): void;
  /** The 10-bit value an analog channel reads now (light sensors). */
  analogRead?(channel: number): number;
  /** The level a digital input reads now. */
  digitalRead?(pin: number): 0 | 1;
}

export interface SimPin {
  supportedModes: number[];
  mode: number;
  value: number;
  report: number;
  analogChannel: number;
}

interface ServoRange {
  min: number;
  max: number;
}

export class SimIO extends EventEmitter {
  readonly name = "SimIO";
  readonly MODES = MODES;
  readonly HIGH = 1;
  readonly LOW = 0;
  readonly RESOLUTION = { ADC: 1023, DAC: null, PWM: 255 };
  readonly defaultLed = 13;
  readonly pins: SimPin[] = [];
  readonly analogPins: number[] = [];
  isReady = false;
  private readonly analogReaders = new Map<number, ((v: number) => void)[]>();
  private readonly digitalReaders = new Map<number, ((v: number) => void)[]>();
  private readonly servoRanges = new Map<number, ServoRange>();

  constructor(private readonly wiring: SimWiring) {
    super();
    for (let i = 0; i < DIGITAL_PINS + ANALOG_PINS; i++) {
      const analog = i >= DIGITAL_PINS;
      this.pins.push({
        supportedModes: analog
          ? [MODES.INPUT, MODES.OUTPUT, MODES.ANALOG]
          : [MODES.INPUT, MODES.OUTPUT, MODES.PWM, MODES.SERVO],
        mode: MODES.OUTPUT,
        value: 0,
        report: 1,
        analogChannel: analog ? i - DIGITAL_PINS : 127,
      });
      if (analog) this.analogPins.push(i);
    }
    // Like a board that has finished its handshake: ready on the next turn of the event loop.
    process.nextTick(() => {
      this.isReady = true;
      this.emit("connect");
      this.emit("ready");
    });
  }

  /** "A0" -> analog channel 0 (Firmata's convention); digital numbers stay as they are. */
  normalize(pin: number | string): number {
    if (typeof pin === "string") {
      const m = /^A(\d+)$/.exec(pin);
      if (m) return Number(m[1]);
      return Number(pin);
    }
    return pin;
  }

  /** The pin index of a pin or analog channel as pinMode receives it. */
  private index(pin: number, mode: number): number {
    if (mode === MODES.ANALOG && pin < ANALOG_PINS) return this.analogPins[pin]!;
    return pin;
  }

  private pin(index: number): SimPin {
    const p = this.pins[index];
    if (!p) throw new Error(`SimIO: pin ${index} does not exist (0-${this.pins.length - 1})`);
    return p;
  }

  pinMode(pin: number, mode: number): this {
    const i = this.index(pin, mode);
    const p = this.pin(i);
    if (p.supportedModes.indexOf(mode) < 0)
      throw new Error(`SimIO: pin ${i} does not support mode ${mode}`);
    p.mode = mode;
    return this;
  }

  digitalWrite(pin: number, value: number): this {
    const p = this.pin(pin);
    const v = value ? 1 : 0;
    p.value = v;
    this.wiring.digitalWrite?.(pin, v);
    return this;
  }

  analogWrite(pin: number, value: number): this {
    this.pin(pin).value = value;
    return this;
  }

  pwmWrite(pin: number, value: number): this {
    return this.analogWrite(pin, value);
  }

  servoConfig(pin: number, min: number, max: number): this {
    this.pin(pin).mode = MODES.SERVO;
    this.servoRanges.set(pin, { min: min, max: max });
    return this;
  }

  /** Like Firmata: a value below 544 is an angle in degrees, otherwise a pulse width in us. */
  servoWrite(pin: number, value: number): this {
    const p = this.pin(pin);
    let degrees = value;
    if (value >= 544) {
      const r = this.servoRanges.get(pin) ?? { min: 600, max: 2400 };
      degrees = ((value - r.min) * 180) / (r.max - r.min);
    }
    p.value = value;
    this.wiring.servo?.(pin, degrees);
    return this;
  }

  analogRead(channel: number, handler: (value: number) => void): this {
    const list = this.analogReaders.get(channel) ?? [];
    list.push(handler);
    this.analogReaders.set(channel, list);
    this.emitAnalog(channel);
    return this;
  }

  digitalRead(pin: number, handler: (value: number) => void): this {
    const list = this.digitalReaders.get(pin) ?? [];
    list.push(handler);
    this.digitalReaders.set(pin, list);
    return this;
  }

  reportAnalogPin(channel: number, enable: 0 | 1): this {
    if (!enable) this.analogReaders.delete(channel);
    return this;
  }

  reportDigitalPin(pin: number, enable: 0 | 1): this {
    if (!enable) this.digitalReaders.delete(pin);
    return this;
  }

  queryPinState(pin: number, callback: () => void): this {
    this.pin(pin);
    process.nextTick(callback);
    return this;
  }

  private emitAnalog(channel: number): void {
    const v = Math.max(0, Math.min(1023, Math.round(this.wiring.analogRead?.(channel) ?? 0)));
    const p = this.pins[this.analogPins[channel] ?? -1];
    if (p) p.value = v;
    for (const h of this.analogReaders.get(channel) ?? []) h(v);
    this.emit(`analog-read-${channel}`, v);
  }

  /**
   * Reports every read pin's current value, as a Firmata board does every sampling interval.
   * The simulator binding calls this after each step of virtual time.
   */
  report(): void {
    for (const ch of this.analogReaders.keys()) this.emitAnalog(ch);
    for (const [pin, handlers] of this.digitalReaders) {
      const v = this.wiring.digitalRead?.(pin) ?? 0;
      this.pin(pin).value = v;
      for (const h of handlers) h(v);
      this.emit(`digital-read-${pin}`, v);
    }
  }

  reset(): this {
    return this;
  }
}

// The bench around one device under test, built from real johnny-five components on whatever IO
// the Board has (Firmata on the rig, SimIO in the simulator). A part the rig config does not wire
// makes the scenario that needs it "not run", naming the YAML to add.
import five, { type Board, type Relay, type Sensor, type Servo } from "johnny-five";
import type { DeviceConfig, ShakerConfig } from "../config/rig-config.js";
import { NotRunError } from "../scenario/not-run.js";
import type { TestClock } from "./test-clock.js";
import { normalise, type LightLevels } from "./light.js";
import { shakePlan } from "./shaker.js";

type DevicePins = DeviceConfig["pins"];

/** Broadcasts a given advert near the gateway (a second Espruino, or the simulated radio). */
export interface Forger {
  broadcast(data: Uint8Array, durationMs: number): Promise<void>;
}

export interface BenchWiring {
  kind: "band" | "classroom";
  shaker?: ShakerConfig;
  pins: DevicePins;
  forger?: Forger;
}

const relayFix = (kind: string, name: string) =>
  `wire a relay and add devices.${kind}.pins.${name}: { pin: <digital pin> } to the rig config`;

export class Bench {
  private servo: Servo | undefined;
  private readonly relays = new Map<string, Relay>();
  private readonly sensors = new Map<string, Sensor>();

  constructor(
    private readonly board: Board,
    private readonly wiring: BenchWiring,
    private readonly clock: TestClock,
  ) {}

  /** Swings the band `swings` times at `hz` (default: the rig's calibrated frequency). */
  async shake(swings: number, hz?: number): Promise<void> {
    const s = this.wiring.shaker;
    if (!s)
      throw new NotRunError(
        "the rig config has no shaker",
        "mount a servo arm and add shaker: { pin: <digital pin> } to the rig config",
      );
    if (!this.servo) {
      this.servo = new five.Servo({ pin: s.pin, board: this.board, startAt: s.restDeg });
    }
    const plan = shakePlan(s, swings, hz ?? s.hz);
    const t0 = this.clock.now();
    for (const m of plan) {
      const wait = t0 + m.atMs - this.clock.now();
      if (wait > 0) await this.clock.wait(wait);
      this.servo.to(m.angleDeg);
    }
  }

  private relay(name: "power" | "lowSupply" | "co2Valve" | "fan"): Relay {
    let r = this.relays.get(name);
    if (r) return r;
    const cfg = this.wiring.pins[name];
    if (!cfg)
      throw new NotRunError(
        `the rig config has no ${name} relay for the ${this.wiring.kind}`,
        relayFix(this.wiring.kind, name),
      );
    this.board.pinMode(cfg.pin, this.board.MODES.OUTPUT!);
    r = new five.Relay({ pin: cfg.pin, board: this.board, type: cfg.type });
    this.relays.set(name, r);
    return r;
  }

  /** Device supply on or off (the power relay closes the supply line). */
  power(on: boolean): void {
    const r = this.relay("power");
    if (on) r.close();
    else r.open();
  }

  async powerCycle(offMs: number): Promise<void> {
    this.power(false);
    await this.clock.wait(offMs);
    this.power(true);
  }

  /** Switches the device's supply to the low-voltage rail (a flat battery) or back. */
  lowSupply(on: boolean): void {
    const r = this.relay("lowSupply");
    if (on) r.close();
    else r.open();
  }

  /** Opens the CO2 valve into the node's chamber (or, in the simulator, adds CO2). */
  co2Valve(open: boolean): void {
    const r = this.relay("co2Valve");
    if (open) r.close();
    else r.open();
  }

  /** Runs the fan that flushes the chamber with outside air. */
  fan(on: boolean): void {
    const r = this.relay("fan");
    if (on) r.close();
    else r.open();
  }

  /** Connects the light sensors (call once before sampling, so the first reports arrive). */
  watchLight(): void {
    const l = this.wiring.pins.light;
    if (!l)
      throw new NotRunError(
        `the rig config has no light sensor on the ${this.wiring.kind}'s LED`,
        `tape photo-resistors over the LED and add devices.${this.wiring.kind}.pins.light: { red: A0, green: A1 }`,
      );
    for (const ch of ["red", "green", "blue"] as const) {
      const pin = l[ch];
      if (pin === undefined || this.sensors.has(ch)) continue;
      this.sensors.set(ch, new five.Sensor({ pin: pin, board: this.board, freq: 25 }));
    }
  }

  /** Normalised LED levels per colour channel, from the latest sensor reports. */
  light(): LightLevels {
    this.watchLight();
    const l = this.wiring.pins.light!;
    const out: LightLevels = {};
    for (const [ch, s] of this.sensors) {
      if (ch === "vibration") continue;
      const raw = s.raw;
      out[ch as keyof LightLevels] = raw === null ? 0 : normalise(raw, l.dark, l.lit);
    }
    return out;
  }

  /** Normalised vibration (0 still, 1 buzzing) from the piezo on a Bangle.js's back. */
  vibration(): number {
    const v = this.wiring.pins.vibration;
    if (!v)
      throw new NotRunError(
        `the rig config has no vibration sensor on the ${this.wiring.kind}`,
        `tape a piezo disc (1 MΩ across it) to the watch's back and add devices.${this.wiring.kind}.pins.vibration: { pin: A4 }`,
      );
    let s = this.sensors.get("vibration");
    if (!s) {
      s = new five.Sensor({ pin: v.pin, board: this.board, freq: 25 });
      this.sensors.set("vibration", s);
    }
    return s.raw === null ? 0 : normalise(s.raw, v.quiet, v.buzzing);
  }

  async forge(data: Uint8Array, durationMs: number): Promise<void> {
    if (!this.wiring.forger)
      throw new NotRunError(
        "the rig has no forger device to broadcast a forged advert",
        "put a second Puck.js near the gateway and add forger: { port: <its BLE address> } to the rig config",
      );
    await this.wiring.forger.broadcast(data, durationMs);
  }

  /** Leaves the bench safe: shaker at rest, device powered, valve shut, fan off, full supply. */
  rest(): void {
    const s = this.wiring.shaker;
    if (this.servo && s) this.servo.to(s.restDeg);
    for (const [name, r] of this.relays) {
      if (name === "power") r.close();
      else r.open();
    }
    for (const s of this.sensors.values()) s.disable();
  }
}

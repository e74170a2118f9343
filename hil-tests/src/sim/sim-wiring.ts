// Wires the simulator rig config's pins to one simulated device: the shaker servo moves the arm
// whose accelerometer samples the simulated IMU counts (src/sim/arm-motion.ts), relays switch power, the low rail, the CO2 valve and the fan, and the light sensors read
// the device's LEDs (steady writes and digitalPulse alike).
import type { DeviceConfig, RelayConfig, RigConfig } from "../config/rig-config.js";
import { analogPinNumber } from "../config/pins.js";
import type { SimWiring } from "../io/sim-io.js";
import { Chamber } from "./chamber.js";
import { PowerSwitch, type Simulation } from "./firmware-sim.js";
import { ArmMotion } from "./arm-motion.js";

/** Supply rails of the bench per board: a Puck's CR2032, a Bangle.js 2's LiPo. */
export const RAILS_MV = {
  puckjs2: { full: 3000, low: 2300 },
  banglejs2: { full: 3900, low: 3300 },
} as const;

const LED_OF = { red: "LED1", green: "LED2", blue: "LED3" } as const;

export class SimDeviceWiring implements SimWiring {
  /** The shaker arm with the band on it; null when the rig has no shaker. */
  readonly arm: ArmMotion | null;
  readonly chamber: Chamber;
  private readonly power: PowerSwitch;
  private readonly relays = new Map<number, { role: string; cfg: RelayConfig }>();
  private readonly light = new Map<number, keyof typeof LED_OF>();
  private readonly vibrationChannel: number | null;

  constructor(
    private readonly sim: Simulation,
    private readonly rig: RigConfig,
    private readonly device: DeviceConfig,
  ) {
    this.power = new PowerSwitch(sim);
    const s = rig.shaker;
    this.arm = s
      ? new ArmMotion({ lengthM: s.armCm / 100, hangDeg: s.hangDeg, seed: device.id }, s.restDeg)
      : null;
    // The band's accelerometer reads the arm (the simulator runs its IMU in "samples" mode).
    if (this.arm) sim.wrist = this.arm;
    this.chamber = new Chamber(sim.scd4x.co2);
    const p = device.pins;
    for (const role of ["power", "lowSupply", "co2Valve", "fan"] as const) {
      const r = p[role];
      if (r) this.relays.set(Number(r.pin), { role: role, cfg: r });
    }
    for (const ch of ["red", "green", "blue"] as const) {
      const pin = p.light?.[ch];
      if (pin !== undefined) this.light.set(this.channelOf(String(pin)), ch);
    }
    this.vibrationChannel = p.vibration ? this.channelOf(String(p.vibration.pin)) : null;
  }

  private channelOf(name: string): number {
    return (
      analogPinNumber(this.rig.firmata.board, name) - analogPinNumber(this.rig.firmata.board, "A0")
    );
  }

  digitalWrite(pin: number, value: 0 | 1): void {
    const r = this.relays.get(pin);
    if (!r) return;
    // A closed circuit: NO relays close when energised (HIGH), NC relays when released (LOW).
    const closed = r.cfg.type === "NC" ? value === 0 : value === 1;
    if (r.role === "power") this.power.set(closed);
    else if (r.role === "lowSupply")
      this.sim.batteryMv = closed ? RAILS_MV[this.sim.board].low : RAILS_MV[this.sim.board].full;
    else if (r.role === "co2Valve") this.chamber.valveOpen = closed;
    else if (r.role === "fan") this.chamber.fanOn = closed;
  }

  servo(pin: number, degrees: number): void {
    if (!this.arm || Number(this.rig.shaker!.pin) !== pin) return;
    this.arm.command(degrees, this.sim.now());
  }

  analogRead(channel: number): number {
    const v = this.device.pins.vibration;
    if (v && channel === this.vibrationChannel) return this.buzzing() ? v.buzzing : v.quiet;
    const ch = this.light.get(channel);
    const l = this.device.pins.light;
    if (!ch || !l) return 0;
    return this.ledLit(LED_OF[ch]) ? l.lit : l.dark;
  }

  /** Bangle.buzz(ms) is running now. */
  private buzzing(): boolean {
    const now = this.sim.now();
    const b = this.sim.buzzes;
    for (let i = b.length - 1; i >= 0; i--) {
      const e = b[i]!;
      if (e.t < now - 60) break;
      if (e.t <= now && now < e.t + e.ms / 1000) return true;
    }
    return false;
  }

  private ledLit(pin: string): boolean {
    if (!this.sim.powered) return false;
    if (this.sim.ledState()[pin]) return true;
    const now = this.sim.now();
    const ev = this.sim.pinEvents;
    for (let i = ev.length - 1; i >= 0; i--) {
      const e = ev[i]!;
      if (e.t < now - 60) break;
      if (e.pin === pin && e.ms !== undefined && e.t <= now && now < e.t + e.ms / 1000) return true;
    }
    return false;
  }

  /** Runs the chamber for the seconds the world is about to advance. */
  beforeAdvance(seconds: number): void {
    if (this.chamber.valveOpen || this.chamber.fanOn) this.sim.setCo2(this.chamber.step(seconds));
    else this.chamber.co2 = this.sim.scd4x.co2;
  }
}

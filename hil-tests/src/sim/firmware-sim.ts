// The one place that knows the firmware simulator's API (firmware/src/sim/simulation.ts). Thin:
// everything else in hil-tests talks to the interfaces in rig/context.ts.
import {
  createSimulation,
  type Simulation,
  type SimulationOptions,
} from "@leiden-iot/firmware/sim";
import { NotRunError } from "../scenario/types.js";

export type { Simulation };
export type RadioLine = Simulation["radio"][number];

export function startFirmware(o: SimulationOptions): Simulation {
  try {
    return createSimulation(o);
  } catch (e) {
    const msg = (e as Error).message;
    if (/no bundle/.test(msg))
      throw new NotRunError(msg, "run `npm run build:firmware` (root `npm test` builds it first)");
    throw e;
  }
}

/**
 * Espruino's `load()`: the app restarts from Storage, RAM and timers are lost, the clock runs on.
 * TODO(firmware): the simulator has no public soft reload yet; this uses its boot path and asks
 * for `Simulation.reload()` (see the hil-tests report).
 */
export function softReload(sim: Simulation): void {
  sim.sched.clearDevice();
  (sim as unknown as { boot(): void }).boot();
}

/** A power switch the relay controls: off until switched on again (not a fixed-length cut). */
export class PowerSwitch {
  private on = true;
  constructor(private readonly sim: Simulation) {}

  set(on: boolean): void {
    if (on === this.on) return;
    this.on = on;
    if (!on) {
      // Off "for ever"; switching on restores power at once, like the end of powerCut().
      this.sim.powerCut(1e15);
      return;
    }
    this.sim.setDeviceTime(0); // the RTC restarts from 0 after power loss
    this.sim.rn2483.powerOn();
    (this.sim as unknown as { boot(): void }).boot();
  }
}

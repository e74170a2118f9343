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

/** Espruino's `load()`: the app restarts from Storage, RAM and timers are lost, the clock runs on. */
export function softReload(sim: Simulation): void {
  sim.reload();
}

/** A power switch the relay controls: off until switched on again (not a fixed-length cut). */
export class PowerSwitch {
  constructor(private readonly sim: Simulation) {}

  /** Off: RAM, timers and the RTC are lost, Storage kept; on: the RTC restarts at 0, the app boots. */
  set(on: boolean): void {
    if (on) this.sim.powerOn();
    else this.sim.powerOff();
  }
}

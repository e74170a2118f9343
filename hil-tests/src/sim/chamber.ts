// The classroom node's test chamber in the simulator: the CO2 valve adds CO2 at a fixed rate, the
// fan flushes towards outside air. Pure; a rig has the real chamber (see README).
export const OUTSIDE_PPM = 420;
export const VALVE_PPM_PER_S = 200 / 60;
/** Fan time constant: CO2 above outside air falls to 1/e in this many seconds. */
export const FAN_TAU_S = 180;

export class Chamber {
  valveOpen = false;
  fanOn = false;
  constructor(public co2: number) {}

  step(seconds: number): number {
    if (this.valveOpen) this.co2 += VALVE_PPM_PER_S * seconds;
    if (this.fanOn)
      this.co2 = OUTSIDE_PPM + (this.co2 - OUTSIDE_PPM) * Math.exp(-seconds / FAN_TAU_S);
    return this.co2;
  }
}

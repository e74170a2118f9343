// A central on the simulator's Nordic UART (uart-console.ts), as a Web Bluetooth page is one: it
// connects, keeps what the device sent and why the link closed, and writes text.
import type { Simulation } from "../../src/sim/simulation.js";
import type { CentralLink } from "../../src/sim/uart-console.js";

export class NusCentral {
  /** Everything the device sent on this link. */
  out = "";
  /** Why the link closed, or null while it is open. */
  closed: string | null = null;
  readonly link: CentralLink;

  constructor(protected readonly sim: Simulation) {
    this.link = sim.uart.connect(
      (d) => (this.out += d),
      (r) => (this.closed = r),
    );
  }

  send(text: string): void {
    this.sim.uart.write(this.link, text);
  }
}

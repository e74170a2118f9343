// The other end of the Web Bluetooth shim (browser/web-bluetooth-shim.ts): devices "in the room"
// are firmware simulations running the shipped bundles (firmware/dist), so what the page writes
// is parsed and checked by the firmware's own enrolment code (firmware/src/enrol/), on the
// simulator's Nordic UART console. Time runs in real time. Faults a real room has: the chooser
// closed, a device out of range, the link cut in the middle of a write, an answer lost.
import { fromHex } from "@leiden-iot/protocol";
import type { Simulation } from "@leiden-iot/firmware/sim";
import type { Page } from "playwright-core";
import type { Emit } from "../../src/sources/source.js";

type CentralLink = ReturnType<Simulation["uart"]["connect"]>;

export interface StandDevice {
  id: string;
  readonly name: string;
  sim: Simulation;
  /** Within reach of the laptop's Bluetooth (the gateway hears its adverts either way). */
  inRange: boolean;
  link: CentralLink | null;
  /** Everything the central wrote on this link (latin1). */
  written: string;
}

/** The complete local name (AD type 0x09) the simulated device advertises now, or "". */
export function advertisedName(sim: Simulation): string {
  // the advert itself, then the scan response (a scanning central such as Chrome sees both)
  const packets = sim.advert.packets.concat(
    sim.advert.scanResponse ? [sim.advert.scanResponse] : [],
  );
  for (const p of packets) {
    for (let i = 0; i + 1 < p.length; i += p[i]! + 1) {
      const len = p[i]!;
      if (len === 0) break;
      if (p[i + 1] === 0x09) return String.fromCharCode(...p.slice(i + 2, i + 1 + len));
    }
  }
  return "";
}

export class BleStand {
  readonly devices: StandDevice[] = [];
  /** "cancel": the user closes the chooser. */
  chooser: "pick-first" | "cancel" = "pick-first";
  /** Cut the link when the written bytes of a connection reach this text (before it arrives). */
  cutWhenWritten: string | null = null;
  /** Let the device process, then drop the link before an answer with this text gets out. */
  loseAnswerWith: string | null = null;
  readonly log: string[] = [];
  private page: Page | null = null;
  private timer: NodeJS.Timeout | null = null;
  private last = Date.now();
  private heard = new Map<Simulation, number>();

  constructor(private readonly emit: Emit | null) {}

  add(sim: Simulation): StandDevice {
    const d: StandDevice = {
      id: "dev-" + this.devices.length,
      get name() {
        return advertisedName(sim);
      },
      sim,
      inRange: true,
      link: null,
      written: "",
    };
    this.devices.push(d);
    this.heard.set(sim, sim.radio.length);
    return d;
  }

  /** Runs the simulations in real time and hands their adverts to the gateway. */
  start(): void {
    this.last = Date.now();
    this.timer = setInterval(() => this.tick(), 50);
  }

  /** Runs every simulation ahead by ms at once (a wait the test should not sit through). */
  fastForward(ms: number): void {
    this.last -= ms;
    this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private tick(): void {
    const now = Date.now();
    const dt = now - this.last;
    this.last = now;
    for (const d of this.devices) {
      d.sim.advance(dt);
      const lines = d.sim.radio;
      for (let i = this.heard.get(d.sim)!; i < lines.length; i++) {
        const l = lines[i]!;
        if (l.channel !== "ble" || !this.emit) continue;
        void this.emit({
          source: "ble",
          channel: "ble",
          receivedAt: now / 1000,
          rssi: -60,
          ble: { data: fromHex(l.data)!, address: l.address },
        });
      }
      this.heard.set(d.sim, lines.length);
    }
  }

  async attach(page: Page): Promise<void> {
    this.page = page;
    await page.exposeFunction("__liotBle", (op: string, args: Record<string, unknown>) =>
      this.call(op, args),
    );
  }

  private push(id: string, type: "notify" | "disconnected", data?: string): void {
    const page = this.page;
    if (!page || page.isClosed()) return;
    page
      .evaluate(
        (p) => (globalThis as unknown as { __liotBlePush(x: unknown): void }).__liotBlePush(p),
        {
          id,
          type,
          data,
        },
      )
      .catch(() => undefined);
  }

  private byId(id: unknown): StandDevice | undefined {
    return this.devices.find((d) => d.id === id);
  }

  private call(op: string, args: Record<string, unknown>): Record<string, unknown> {
    this.log.push(op);
    if (op === "request") {
      const o = (args.options ?? {}) as { filters?: { namePrefix?: string }[] };
      const match = (d: StandDevice) =>
        d.inRange &&
        d.sim.uart.connectable() &&
        (o.filters ?? []).some(
          (f) => f.namePrefix !== undefined && d.name.startsWith(f.namePrefix),
        );
      const found = this.devices.filter(match);
      if (this.chooser === "cancel" || found.length === 0)
        return {
          ok: false,
          name: "NotFoundError",
          message: "User cancelled the requestDevice() chooser.",
        };
      return { ok: true, id: found[0]!.id, name: found[0]!.name };
    }
    const d = this.byId(args.id);
    if (!d) return { ok: false, name: "NetworkError", message: "unknown device" };
    if (op === "connect") {
      if (!d.inRange || !d.sim.uart.connectable())
        return { ok: false, name: "NetworkError", message: "Connection attempt failed." };
      if (d.link) return { ok: true };
      try {
        let collecting: string[] | null = null;
        const link = d.sim.uart.connect(
          (chunk) => {
            if (collecting) collecting.push(chunk);
            else this.push(d.id, "notify", chunk);
          },
          () => {
            if (d.link === link) d.link = null;
            this.push(d.id, "disconnected");
          },
        );
        d.link = link;
        d.written = "";
        (d as unknown as { collect: (c: string[] | null) => void }).collect = (c) =>
          (collecting = c);
      } catch (e) {
        return { ok: false, name: "NetworkError", message: (e as Error).message };
      }
      return { ok: true };
    }
    if (op === "disconnect") {
      if (d.link) d.sim.uart.disconnect(d.link, "the central disconnected");
      d.link = null;
      return { ok: true };
    }
    if (op === "write") {
      const link = d.link;
      if (!link || !d.inRange)
        return { ok: false, name: "NetworkError", message: "GATT Server is disconnected." };
      const data = String(args.data);
      if (this.cutWhenWritten && (d.written + data).includes(this.cutWhenWritten)) {
        this.cutWhenWritten = null;
        d.inRange = false; // walked away: the rest never arrives
        d.sim.uart.disconnect(link, "out of range");
        return {
          ok: false,
          name: "NetworkError",
          message: "GATT operation failed for unknown reason.",
        };
      }
      d.written += data;
      // The OS pairs (LE Secure Connections) when the characteristic needs encryption.
      if (!link.encrypted) d.sim.uart.pair(link);
      const collect = (d as unknown as { collect: (c: string[] | null) => void }).collect;
      const out: string[] = [];
      collect(out);
      try {
        d.sim.uart.write(link, data);
      } catch (e) {
        return { ok: false, name: "NetworkError", message: (e as Error).message };
      } finally {
        collect(null);
      }
      if (this.loseAnswerWith && out.join("").includes(this.loseAnswerWith)) {
        this.loseAnswerWith = null;
        d.inRange = false;
        d.sim.uart.disconnect(link, "out of range");
        return { ok: true, notify: [] };
      }
      return { ok: true, notify: out };
    }
    return { ok: false, name: "NotSupportedError", message: "unknown op " + op };
  }
}

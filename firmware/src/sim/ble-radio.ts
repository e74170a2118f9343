// The device's Bluetooth LE radio as the world sees it: what it advertises (NRF.setAdvertising,
// setScanResponse, setAddress; a gateway in range logs each advert to the radio stream) and what
// its scans hear (NRF.findDevices: the gateway's signed time beacon and the room's neighbours,
// through Espruino's scan filters).
import {
  COMPANY_ID,
  encodeTimeBeacon,
  frameInAdvertPacket,
  toHex,
  type CmacKey,
} from "@leiden-iot/protocol/device";
import type { RadioLog } from "./ndjson-log.js";
import type { Scheduler } from "./scheduler.js";

/** An advert as NRF.findDevices reports it (the fields the simulator models). */
export interface ScanDevice {
  id: string;
  rssi: number;
  manufacturer?: number;
  manufacturerData?: number[];
  name?: string;
}

/** Current advertising state as the radio sees it. */
export interface AdvertState {
  packets: number[][];
  options: Record<string, unknown>;
  address: string;
  /** NRF.setScanResponse's packet (the name a scanning central sees; [] none). */
  scanResponse?: number[];
}

/** What the radio asks of the world around the device (read at every use: tests change them). */
export interface RadioWorld {
  readonly powered: boolean;
  /** World time, unix seconds. */
  now(): number;
  gatewayInRange(t: number): boolean;
  timeBeacon(t: number): boolean;
  readonly neighbours: ScanDevice[];
}

export class BleRadio {
  advert: AdvertState = { packets: [], options: {}, address: "" };
  /** Every NRF.findDevices scan: the filters passed, devices heard, and devices handed to JS. */
  readonly scans: { filters: unknown; heard: number; delivered: ScanDevice[] }[] = [];
  private wasInRange = false;

  constructor(
    private readonly world: RadioWorld,
    private readonly sched: Scheduler,
    private readonly log: RadioLog,
    private readonly label: string,
    private readonly timeKey: CmacKey,
  ) {}

  /** Power lost: the radio stops advertising. */
  powerLost(): void {
    this.advert = { packets: [], options: {}, address: "" };
  }

  /** The world's once-a-minute look: entering range, a gateway hears the current adverts. */
  checkRange(): void {
    const inRange = this.world.gatewayInRange(this.world.now());
    if (inRange && !this.wasInRange) this.logAdverts();
    this.wasInRange = inRange;
  }

  advertise(data: unknown, options: Record<string, unknown> | undefined): void {
    // As Espruino: a packet is an array of bytes or a typed array; an array of them is a rotation.
    const isBytes = (p: unknown): p is ArrayLike<number> =>
      Array.isArray(p) || ArrayBuffer.isView(p);
    const list: unknown[] =
      Array.isArray(data) && data.length > 0 && isBytes(data[0]) ? data : [data];
    const packets: number[][] = [];
    for (const p of list) {
      if (!isBytes(p) || p.length > 31) throw new Error("NRF.setAdvertising: packet over 31 bytes");
      packets.push(Array.prototype.slice.call(p) as number[]);
    }
    this.advert = {
      packets,
      options: options ?? {},
      address: this.advert.address,
      scanResponse: this.advert.scanResponse,
    };
    this.logAdverts();
  }

  setScanResponse(data: unknown): void {
    const p = ArrayBuffer.isView(data) || Array.isArray(data) ? (data as ArrayLike<number>) : null;
    if (!p || p.length > 31) throw new Error("NRF.setScanResponse: expected up to 31 bytes");
    this.advert.scanResponse = Array.prototype.slice.call(p) as number[];
  }

  setAddress(addr: string): void {
    if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2} random$/.test(addr))
      throw new Error("NRF.setAddress: expected 'aa:bb:cc:dd:ee:ff random', got " + addr);
    this.advert.address = addr.split(" ")[0]!;
  }

  findDevices(cb: (devices: unknown[]) => void, options: Record<string, unknown>): void {
    const ms = typeof options.timeout === "number" ? options.timeout : 2000;
    const filters = options.filters;
    this.sched.add(
      ms,
      () => {
        if (!this.world.powered) return;
        const now = this.world.now();
        const heard: ScanDevice[] = this.world.neighbours.slice();
        if (this.world.timeBeacon(now)) {
          const beacon = encodeTimeBeacon(Math.floor(now), this.timeKey);
          heard.push({
            id: "gw-sim public",
            rssi: -55,
            manufacturer: COMPANY_ID,
            manufacturerData: Array.prototype.slice.call(beacon),
          });
        }
        // Espruino filters each advert before findDevices keeps it: only matches take RAM.
        const found = heard.filter((d) => matchesFilters(d, filters));
        this.scans.push({ filters, heard: heard.length, delivered: found });
        cb(found);
      },
      0,
      "device",
    );
  }

  private logAdverts(): void {
    const now = this.world.now();
    if (!this.world.powered || !this.world.gatewayInRange(now)) return;
    for (const p of this.advert.packets) {
      const data = manufacturerData(p);
      if (!data) continue;
      this.log.add({
        t: now,
        channel: "ble",
        device: this.label,
        address: this.advert.address,
        data,
        rssi: -60,
      });
    }
  }
}

/** Manufacturer data (hex, without company id 0x0590) of a raw advertising packet. */
export function manufacturerData(p: number[]): string | null {
  const frame = frameInAdvertPacket(p);
  return frame ? toHex(frame) : null;
}

/**
 * Espruino's scan filters (NRF.requestDevice): a device passes when any filter matches. The
 * simulator models `manufacturerData: { <company id>: {} }` (every listed id must be the advert's)
 * and `name`; anything else is refused rather than silently ignored.
 */
export function matchesFilters(d: ScanDevice, filters: unknown): boolean {
  if (filters === undefined) return true;
  if (!Array.isArray(filters)) throw new Error("findDevices: filters must be an array");
  return filters.some((f: Record<string, unknown>) => {
    for (const k of Object.keys(f)) {
      if (k === "manufacturerData") {
        const ids = Object.keys(f[k] as object).map(Number);
        if (ids.length === 0 || !ids.every((id) => d.manufacturer === id && d.manufacturerData))
          return false;
      } else if (k === "name") {
        if (d.name !== f[k]) return false;
      } else throw new Error("findDevices: the simulator does not model filter " + k);
    }
    return true;
  });
}

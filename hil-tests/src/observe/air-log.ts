// The core of every advert observer: keep the frames of the device under test, identified by
// their MAC under its key (its address and ephemeral id rotate), and count the rest. Pure: the
// noble scanner and the simulator's radio log both feed it.
import { frameUnderCompanyId, openAdvert, type CmacKey } from "@leiden-iot/protocol";
import type { AirObserver, HeardAdvert } from "../rig/context.js";

export interface RawAdvert {
  at: number;
  /** Manufacturer data as BLE carries it: 2-byte company id (little-endian), then the frame. */
  manufacturerData: Uint8Array;
  address?: string;
  rssi?: number;
}

export class AirLog implements AirObserver {
  private readonly frames: HeardAdvert[] = [];
  private foreign = 0;

  constructor(private readonly macKey: CmacKey) {}

  /** Returns the advert when it is the device's, null otherwise (counted as foreign if 0x0590). */
  offer(raw: RawAdvert): HeardAdvert | null {
    const data = frameUnderCompanyId(raw.manufacturerData);
    if (!data) return null;
    const opened = openAdvert(data, this.macKey);
    if (!opened.ok) {
      this.foreign++;
      return null;
    }
    const h: HeardAdvert = {
      at: raw.at,
      advert: opened.value,
      data: data,
      address: raw.address,
      rssi: raw.rssi,
    };
    this.frames.push(h);
    return h;
  }

  heard(): readonly HeardAdvert[] {
    return this.frames;
  }

  foreignFrames(): number {
    return this.foreign;
  }
}

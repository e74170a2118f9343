// Adapters shared by every Espruino board: clock, timers, Storage, BLE radio (AES: board-crypto.ts).
/* eslint-disable @typescript-eslint/no-require-imports -- Espruino built-in modules are loaded with require() */
import { COMPANY_ID, companyIdScanFilter } from "@leiden-iot/protocol/device";
import "./espruino-api.js";
import type { AdvertPacket, Clock, FileStore, Radio, Timers } from "./types.js";

export function espruinoClock(): Clock {
  return {
    now: () => getTime(),
    set: (t) => setTime(t),
  };
}

export function espruinoTimers(): Timers {
  return {
    every: (ms, fn) => setInterval(fn, ms),
    after: (ms, fn) => setTimeout(fn, ms),
    cancel: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  };
}

export function espruinoStore(): FileStore {
  const s = require("Storage");
  return {
    read: (name) => {
      const v = s.read(name);
      return v === undefined || v === null ? undefined : String(v);
    },
    write: (name, data) => {
      try {
        return s.write(name, data) !== false;
      } catch {
        return false;
      }
    },
    erase: (name) => {
      s.erase(name);
    },
  };
}

export function espruinoRadio(): Radio {
  return {
    advertise: (packets: AdvertPacket[], intervalMs: number) => {
      // An array of raw packets: the radio rotates through them, one per advertising event,
      // without waking JS. Non-connectable + non-scannable is the cheapest advertising mode.
      NRF.setAdvertising(packets.length === 1 ? packets[0] : packets, {
        interval: intervalMs,
        connectable: false,
        scannable: false,
        showName: false,
        discoverable: false,
      });
    },
    setAddress: (address) => {
      NRF.setAddress(address + " random");
    },
    scan: (ms, done) => {
      NRF.findDevices(
        (devices: { manufacturer?: number; manufacturerData?: ArrayLike<number> }[]) => {
          const out: Uint8Array[] = [];
          for (let i = 0; i < devices.length; i++) {
            const d = devices[i]!;
            if (d.manufacturer !== COMPANY_ID || !d.manufacturerData) continue;
            const m = d.manufacturerData;
            const b = new Uint8Array(m.length);
            for (let j = 0; j < m.length; j++) b[j] = m[j]!;
            out.push(b);
          }
          done(out);
        },
        // Only Espruino's company id (0x0590: gateway beacons, bands) is kept: Espruino filters each
        // advert before findDevices stores it, so a room full of phones and beacons cannot
        // exhaust the Puck's ~2600 variables during the 3 s scan.
        { timeout: ms, active: false, filters: [companyIdScanFilter()] },
      );
    },
  };
}

// The rig's ears: a noble scan (duplicates allowed) feeding an AirLog. noble is loaded lazily so a
// machine without Bluetooth still runs everything else; a missing adapter or capability is a
// NotRunError that says how to fix it.
import type { CmacKey } from "@leiden-iot/protocol";
import type { EventEmitter } from "node:events";
import { NotRunError } from "../scenario/types.js";
import { AirLog } from "./air-log.js";

/** The part of @stoprocent/noble the observer uses (tests pass an EventEmitter). */
export interface NobleLike extends EventEmitter {
  state: string;
  startScanningAsync(serviceUuids?: string[], allowDuplicates?: boolean): Promise<void>;
  stopScanningAsync(): Promise<void>;
}

export interface NoblePeripheral {
  address?: string;
  rssi?: number;
  advertisement?: { manufacturerData?: Buffer | Uint8Array };
}

const NO_ADAPTER =
  "plug in a Bluetooth 4.0+ adapter (check `hciconfig` / `bluetoothctl list`), and on Linux grant " +
  "the capability once: sudo setcap cap_net_raw,cap_net_admin+eip $(eval readlink -f $(which node))";

export async function loadNoble(hciDevice?: number): Promise<NobleLike> {
  if (hciDevice !== undefined) process.env.NOBLE_HCI_DEVICE_ID = String(hciDevice);
  try {
    const mod = (await import("@stoprocent/noble")) as unknown as { default?: NobleLike };
    return (mod.default ?? mod) as NobleLike;
  } catch (e) {
    throw new NotRunError(
      `the BLE library @stoprocent/noble could not load: ${(e as Error).message}`,
      "run `npm ci` on a machine with a C++ toolchain (its HCI bindings are native), then " +
        NO_ADAPTER,
    );
  }
}

/** Waits for the adapter to power on: a NotRunError naming the fix when it does not. */
export function poweredOn(noble: NobleLike, timeoutMs: number): Promise<void> {
  if (noble.state === "poweredOn") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      noble.removeListener("stateChange", onState);
      reject(
        new NotRunError(
          `the Bluetooth adapter is "${noble.state}" after ${timeoutMs} ms`,
          NO_ADAPTER,
        ),
      );
    }, timeoutMs);
    const onState = (s: string) => {
      if (s === "poweredOn") {
        clearTimeout(timer);
        noble.removeListener("stateChange", onState);
        resolve();
      } else if (s === "unauthorized" || s === "unsupported") {
        clearTimeout(timer);
        noble.removeListener("stateChange", onState);
        reject(new NotRunError(`the Bluetooth adapter is ${s}`, NO_ADAPTER));
      }
    };
    noble.on("stateChange", onState);
  });
}

export class NobleObserver {
  readonly log: AirLog;
  private readonly onDiscover = (p: NoblePeripheral) => {
    const m = p.advertisement?.manufacturerData;
    if (!m) return;
    this.log.offer({
      at: this.now(),
      manufacturerData: new Uint8Array(m),
      address: p.address,
      rssi: p.rssi,
    });
  };

  constructor(
    private readonly noble: NobleLike,
    macKey: CmacKey,
    private readonly now: () => number = Date.now,
  ) {
    this.log = new AirLog(macKey);
  }

  async start(timeoutMs = 5000): Promise<void> {
    await poweredOn(this.noble, timeoutMs);
    this.noble.on("discover", this.onDiscover);
    await this.noble.startScanningAsync([], true);
  }

  async stop(): Promise<void> {
    this.noble.removeListener("discover", this.onDiscover);
    await this.noble.stopScanningAsync().catch(() => undefined);
  }
}

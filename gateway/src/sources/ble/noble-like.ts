// The part of @stoprocent/noble the ble source uses, so tests can drive it with an EventEmitter.
import type { EventEmitter } from "node:events";

export interface PeripheralLike {
  address?: string;
  rssi?: number;
  advertisement?: { manufacturerData?: Buffer | Uint8Array };
}

export interface NobleLike extends EventEmitter {
  readonly state: string;
  startScanningAsync(serviceUUIDs?: string[], allowDuplicates?: boolean): Promise<void>;
  stopScanningAsync(): Promise<void>;
}

/** Loads the real noble lazily: machines without Bluetooth (or without the module) run the rest. */
export async function loadNoble(): Promise<NobleLike> {
  const mod = (await import("@stoprocent/noble" as string)) as { default?: NobleLike } & NobleLike;
  return mod.default ?? mod;
}

// What `npm run provision` gives a device, for the simulator: its keys from the deployment master
// key and, when the Storage has none, the liot.cfg protocol's deviceConfig writes (the same file
// provisioning writes, so the simulated node runs the real provisioning output).
import {
  cmacKey,
  deriveDeviceKey,
  deriveTimeKey,
  deviceConfig,
  fromHex,
  type CmacKey,
} from "@leiden-iot/protocol/device";
import { nodeAes128 } from "@leiden-iot/protocol";
import type { StorageSim } from "./storage-sim.js";

export const DEMO_MASTER_KEY = "000102030405060708090a0b0c0d0e0f";

export interface ProvisionOptions {
  device: "band" | "classroom";
  deviceId: number;
  /** hex; default DEMO_MASTER_KEY */
  masterKey?: string;
  goal?: number;
  preset?: string;
}

export interface DeviceKeys {
  /** The device's own key (signs its adverts). */
  deviceKey: Uint8Array;
  /** The deployment's time key (the gateway signs its time beacon with it). */
  timeKey: CmacKey;
}

export function deviceKeysOf(o: ProvisionOptions): DeviceKeys {
  const master = masterOf(o);
  return {
    deviceKey: deriveDeviceKey(nodeAes128, master, o.deviceId),
    timeKey: cmacKey(nodeAes128, deriveTimeKey(nodeAes128, master)),
  };
}

/** Writes liot.cfg as provisioning does, unless the Storage has one; not counted as flash wear. */
export function provisionStorage(storage: StorageSim, o: ProvisionOptions): void {
  if (storage.files["liot.cfg"] !== undefined) return;
  (storage.api().write as (n: string, d: string) => boolean)(
    "liot.cfg",
    JSON.stringify(
      deviceConfig({
        device: o.device,
        deviceId: o.deviceId,
        masterKey: masterOf(o),
        goal: o.goal,
        preset: o.preset,
        aes: nodeAes128,
      }),
    ),
  );
  storage.writes.length = 0; // provisioning is not the firmware's wear
}

function masterOf(o: ProvisionOptions): Uint8Array {
  return fromHex(o.masterKey ?? DEMO_MASTER_KEY)!;
}

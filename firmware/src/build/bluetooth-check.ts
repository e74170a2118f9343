// Before the espruino CLI is started for a BLE address: is there a Bluetooth adapter at all?
// Without one, the CLI's BLE stack (noble over BlueZ/D-Bus) fails with a raw `ENOENT` D-Bus stack
// trace. Pure apart from the directory listing it is given.
import { readdirSync } from "node:fs";
import { isBleAddress } from "./upload-plan.js";

export interface HostFacts {
  platform: NodeJS.Platform;
  /** Entries of /sys/class/bluetooth (Linux), or null when the directory does not exist. */
  adapters: string[] | null;
}

/** Where Linux lists Bluetooth adapters; LIOT_BLUETOOTH_SYSFS points elsewhere (tests). */
export function hostFacts(
  sysfs = process.env.LIOT_BLUETOOTH_SYSFS || "/sys/class/bluetooth",
): HostFacts {
  let adapters: string[] | null = null;
  try {
    adapters = readdirSync(sysfs);
  } catch {
    adapters = null;
  }
  return { platform: process.platform, adapters: adapters };
}

/** One line saying what is missing and what to do, or null when the port can be tried. */
export function bluetoothProblem(port: string, host: HostFacts): string | null {
  if (!isBleAddress(port) || host.platform !== "linux") return null;
  if (host.adapters && host.adapters.some((a) => a.startsWith("hci"))) return null;
  return (
    "no Bluetooth adapter on this computer (nothing in /sys/class/bluetooth), so " +
    port +
    " cannot be reached: plug in a Bluetooth 4.0+ adapter and install BlueZ (sudo apt install bluez), " +
    "or connect the board by USB and use --port /dev/ttyACM0"
  );
}

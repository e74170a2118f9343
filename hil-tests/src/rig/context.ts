// What a scenario sees of the world. The same interfaces are bound to the bench rig (johnny-five
// on Firmata, noble, the gateway's MQTT output, the espruino CLI) or to the firmware simulator
// (the SimIO plugin, its radio log, the gateway fed by the simulated radio).
import type {
  Advert,
  BandEnvelopeRead,
  ClassroomEnvelopeRead,
  CmacKey,
} from "@leiden-iot/protocol";
import type { Bench } from "./bench.js";

import type { TestClock } from "./test-clock.js";

export type { TestClock } from "./test-clock.js";

/** The device under test as the test may command it (never its internals). */
export interface DeviceUnderTest {
  kind: "band" | "classroom";
  board: "puckjs2" | "banglejs2";
  deviceId: number;
  /** The device's MAC key: identifies its adverts on air without trusting its address. */
  macKey: CmacKey;
  /** Sets the device's wall clock (espruino `setTime`, or the simulator's clock). */
  setClock(unixSeconds: number): Promise<void>;
  /** The device's wall clock as the test knows it (unix ms): after setClock, it runs on from there. */
  deviceNow(): number;
  /** Changes a setting the firmware reads from Storage, then restarts the app. */
  configure(settings: DeviceSettings): Promise<void>;
}

export interface DeviceSettings {
  /** Daily step goal of a band. */
  goalSteps?: number;
}

/** One advert of the device under test, MAC-verified with its key. */
export interface HeardAdvert {
  at: number; // test clock ms
  advert: Advert;
  data: Uint8Array; // manufacturer data without the company id
  address?: string;
  rssi?: number;
}

export interface AirObserver {
  /** Every advert of the device under test heard since the observer started, oldest first. */
  heard(): readonly HeardAdvert[];
  /** Frames under 0x0590 that did not verify with the device's key (other devices, forgeries). */
  foreignFrames(): number;
}

export interface GatewayMessage {
  at: number; // test clock ms when the envelope arrived over MQTT
  topic: string;
  messageId: string;
  /** "ble" or "lora", from the message id (`/b/` or `/l/`). */
  channel: "ble" | "lora";
  pseudonym: string;
  band?: BandEnvelopeRead;
  classroom?: ClassroomEnvelopeRead;
}

export interface GatewayObserver {
  /** Envelopes the gateway published for the device under test, oldest first. */
  messages(): readonly GatewayMessage[];
  /** Frames the gateway rejected, per reason; null when this gateway does not expose them. */
  rejections(): Promise<Record<string, number> | null>;
}

export interface HilContext {
  mode: "sim" | "rig";
  clock: TestClock;
  bench: Bench;
  device: DeviceUnderTest;
  air: AirObserver;
  gateway: GatewayObserver;
  log(line: string): void;
}

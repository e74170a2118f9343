// Frames for gateway tests, encoded with protocol's real encoders and keys.
import {
  cmacKey,
  deriveDeviceKey,
  deviceKeys,
  encodeBandAdvert,
  epochIdentity,
  epochOf,
  fromHex,
  localDay,
  nodeAes128,
} from "@leiden-iot/protocol";
import type { RawFrame } from "../../src/sources/source.js";
import { TEST_MASTER } from "./gateway.js";

/** A signed band advert of a registered device as the BLE source would emit it, heard now. */
export function bandAdvertFrame(
  deviceId: number,
  counter: number,
  master = TEST_MASTER,
  steps = 10,
): RawFrame {
  const now = Date.now() / 1000;
  const k = deviceKeys(nodeAes128, deriveDeviceKey(nodeAes128, fromHex(master)!, deviceId));
  const id = epochIdentity(nodeAes128, k.eid, epochOf(now));
  const flags = {
    goalReached: false,
    lowBattery: false,
    clockNotSet: false,
    storageFault: false,
    sensorFault: false,
  };
  const data = encodeBandAdvert(
    { eid: "", counter, day: localDay(now), steps, backlog: null, batteryMv: 3000, flags },
    id.eid,
    cmacKey(nodeAes128, k.mac),
  );
  return { source: "ble", channel: "ble", receivedAt: now, rssi: -60, ble: { data } };
}

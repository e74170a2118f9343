// Helpers for the enrolment tests: a band advert signed with a device's derived key, and a small
// HTTP client for the enrolment API that keeps its session cookie.
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
import { TEST_MASTER } from "../support/gateway.js";

export function bandAdvertFrame(deviceId: number, counter: number, master = TEST_MASTER): RawFrame {
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
    { eid: "", counter, day: localDay(now), steps: 10, backlog: null, batteryMv: 3000, flags },
    id.eid,
    cmacKey(nodeAes128, k.mac),
  );
  return { source: "ble", channel: "ble", receivedAt: now, rssi: -60, ble: { data } };
}

export class EnrolClient {
  cookie = "";
  constructor(readonly base: string) {}

  async call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(new URL(path, this.base), {
      method,
      headers: {
        "x-liot-enrol": "1",
        "content-type": "application/json",
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const set = res.headers.get("set-cookie");
    if (set) this.cookie = set.split(";")[0]!;
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
}

export const NEW_BAND = { kind: "band", enrolled: false, id: null, fw: 1 };

// The ble adapter driven through noble's events by an injected noble-like EventEmitter.
import { EventEmitter } from "node:events";
import { fromHex } from "@leiden-iot/protocol";
import { describe, expect, it } from "vitest";
import bandVectors from "../../../protocol/vectors/band-advert.json" with { type: "json" };
import { frameUnderCompanyId as espruinoData } from "@leiden-iot/protocol";
import { BleSource, problemOf } from "../../src/sources/ble/index.js";
import type { RawFrame } from "../../src/sources/source.js";
import { silent } from "../support/gateway.js";

class FakeNoble extends EventEmitter {
  state = "poweredOff";
  scanning = false;
  starts: boolean[] = [];
  failNext: Error | null = null;
  async startScanningAsync(_uuids?: string[], allowDuplicates?: boolean): Promise<void> {
    this.starts.push(allowDuplicates === true);
    if (this.failNext) {
      const e = this.failNext;
      this.failNext = null;
      throw e;
    }
    this.scanning = true;
  }
  async stopScanningAsync(): Promise<void> {
    this.scanning = false;
  }
  power(s: string) {
    this.state = s;
    this.emit("stateChange", s);
  }
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
const advert = fromHex(bandVectors.valid[0]!.hex)!;
const mfr = (company: number, data: Uint8Array) =>
  Buffer.concat([Buffer.from([company & 0xff, company >> 8]), Buffer.from(data)]);

async function setup() {
  const noble = new FakeNoble();
  const frames: RawFrame[] = [];
  const src = new BleSource({ enabled: true, restartDelayMs: 20 }, silent, async () => noble);
  await src.start(async (f) => {
    frames.push(f);
    return { status: "accepted", messageId: "x" };
  });
  return { noble, frames, src };
}

describe("ble source", () => {
  it("scans with duplicates once powered on and emits only company 0x0590 data", async () => {
    const { noble, frames, src } = await setup();
    expect(src.health().state).toBe("degraded");
    noble.power("poweredOn");
    await tick();
    expect(noble.starts).toEqual([true]);
    expect(src.health().state).toBe("running");
    noble.emit("discover", {
      address: "fe:57:4f:fe:1a:eb",
      rssi: -67,
      advertisement: { manufacturerData: mfr(0x0590, advert) },
    });
    noble.emit("discover", { rssi: -50, advertisement: { manufacturerData: mfr(0x004c, advert) } }); // Apple
    noble.emit("discover", { rssi: -50, advertisement: {} });
    noble.emit("discover", { rssi: -50, advertisement: { manufacturerData: Buffer.from([0x90]) } });
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({
      source: "ble",
      channel: "ble",
      rssi: -67,
      ble: { address: "fe:57:4f:fe:1a:eb" },
    });
    expect(Buffer.from(frames[0]!.ble!.data).equals(Buffer.from(advert))).toBe(true);
    expect(src.health().framesIn).toBe(1);
    await src.stop();
  });

  it("recovers from power-off, unexpected scan stop, HCI errors and a failed scan start", async () => {
    const { noble, src } = await setup();
    noble.power("poweredOn");
    await tick();
    noble.power("poweredOff");
    expect(src.health()).toMatchObject({ state: "degraded" });
    expect(src.health().detail).toMatch(/powered off/);
    noble.power("poweredOn");
    await tick();
    expect(noble.starts).toHaveLength(2);
    expect(src.health().state).toBe("running");
    noble.emit("scanStop");
    await tick(60);
    expect(noble.starts).toHaveLength(3);
    noble.failNext = new Error("Command Disallowed"); // the first restart fails too
    noble.emit("warning", new Error("HCI command failed: 0x0c"));
    expect(src.health().state).toBe("degraded");
    for (let i = 0; i < 50 && noble.starts.length < 5; i++) await tick(20);
    expect(noble.starts).toHaveLength(5); // restart attempted, failed, retried
    expect(noble.failNext).toBeNull();
    expect(src.health().state).toBe("running");
    await src.stop();
  });

  it("says how to fix a missing adapter, module or permission", async () => {
    const cases: [Error & { code?: string }, RegExp][] = [
      [
        Object.assign(new Error("Cannot find package '@stoprocent/noble'"), {
          code: "ERR_MODULE_NOT_FOUND",
        }),
        /npm install/,
      ],
      [
        Object.assign(new Error("socket: EPERM, Operation not permitted"), { code: "EPERM" }),
        /setcap cap_net_raw/,
      ],
      [
        Object.assign(new Error("ENODEV, No such device"), { code: "ENODEV" }),
        /no Bluetooth adapter/,
      ],
    ];
    for (const [err, advice] of cases) {
      const src = new BleSource({ enabled: true, restartDelayMs: 20 }, silent, async () => {
        throw err;
      });
      await src.start(async () => ({ status: "accepted", messageId: "x" }));
      expect(src.health().state).toBe("unavailable");
      expect(src.health().detail).toMatch(advice);
    }
    const { noble, src } = await setup();
    noble.power("unauthorized");
    expect(src.health()).toMatchObject({ state: "unavailable" });
    expect(src.health().detail).toMatch(/setcap/);
    expect(problemOf(new Error("weird"))).toBe("hci_error");
    expect(espruinoData(Buffer.from([0x90, 0x05]))?.length).toBe(0);
  });
});

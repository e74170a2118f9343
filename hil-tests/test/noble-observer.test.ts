// The noble observer on noble's own event shapes, fed the protocol's vectors: it keeps exactly the
// adverts that verify under the device's key and counts everything else under 0x0590.
import { cmacKey, deriveDeviceKey, deviceKeys, fromHex, nodeAes128 } from "@leiden-iot/protocol";
import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NobleObserver, poweredOn, type NobleLike } from "../src/observe/noble-observer.js";
import { NotRunError } from "../src/scenario/types.js";

interface Vector {
  name: string;
  hex: string;
  deviceId: number;
  deviceKey: string;
  address: string;
  decoded: { kind: string; counter: number };
}
const load = (f: string) =>
  JSON.parse(readFileSync(new URL(`../../protocol/vectors/${f}`, import.meta.url), "utf8")) as {
    masterKey: string;
    valid: Vector[];
    invalid: { hex: string }[];
  };
const band = load("band-advert.json");
const classroom = load("classroom-advert.json");

class FakeNoble extends EventEmitter implements NobleLike {
  scanning: { allowDuplicates?: boolean } | null = null;
  constructor(public state: string) {
    super();
  }
  async startScanningAsync(_uuids?: string[], allowDuplicates?: boolean) {
    this.scanning = { allowDuplicates: allowDuplicates };
  }
  async stopScanningAsync() {
    this.scanning = null;
  }
}

/** Manufacturer data as noble reports it: company id 0x0590 little-endian, then the frame. */
const manufacturer = (hex: string) =>
  Buffer.concat([Buffer.from([0x90, 0x05]), Buffer.from(hex, "hex")]);

function macKeyOf(v: Vector) {
  return cmacKey(nodeAes128, deviceKeys(nodeAes128, fromHex(v.deviceKey)!).mac);
}

describe("NobleObserver", () => {
  it("keeps the device's vector adverts, decoded, and counts other devices' as foreign", async () => {
    const mine = band.valid[0]!;
    const noble = new FakeNoble("poweredOn");
    let t = 1000;
    const obs = new NobleObserver(noble, macKeyOf(mine), () => t++);
    await obs.start();
    expect(noble.scanning).toEqual({ allowDuplicates: true });
    const all = [...band.valid, ...classroom.valid];
    for (const v of all)
      noble.emit("discover", {
        address: v.address,
        rssi: -60,
        advertisement: { manufacturerData: manufacturer(v.hex) },
      });
    const same = all.filter((v) => v.deviceKey === mine.deviceKey);
    expect(obs.log.heard().map((h) => h.advert.counter)).toEqual(
      same.map((v) => v.decoded.counter),
    );
    expect(obs.log.heard()[0]!.advert).toMatchObject(mine.decoded);
    expect(obs.log.heard()[0]!.address).toBe(mine.address);
    expect(obs.log.foreignFrames()).toBe(all.length - same.length);
    await obs.stop();
    expect(noble.scanning).toBeNull();
  });

  it("ignores invalid frames, other company ids and adverts without manufacturer data", async () => {
    const mine = band.valid[0]!;
    const noble = new FakeNoble("poweredOn");
    const obs = new NobleObserver(noble, macKeyOf(mine));
    await obs.start();
    for (const v of band.invalid)
      noble.emit("discover", { advertisement: { manufacturerData: manufacturer(v.hex) } });
    noble.emit("discover", {
      advertisement: { manufacturerData: Buffer.from("4c0002150102", "hex") },
    });
    noble.emit("discover", { advertisement: {} });
    expect(obs.log.heard()).toHaveLength(0);
    expect(obs.log.foreignFrames()).toBe(band.invalid.length);
  });

  it("a flipped MAC bit makes the device's own advert foreign", async () => {
    const mine = band.valid[0]!;
    const noble = new FakeNoble("poweredOn");
    const obs = new NobleObserver(noble, macKeyOf(mine));
    await obs.start();
    const forged = manufacturer(mine.hex);
    forged[forged.length - 1]! ^= 1;
    noble.emit("discover", { advertisement: { manufacturerData: forged } });
    expect(obs.log.heard()).toHaveLength(0);
    expect(obs.log.foreignFrames()).toBe(1);
  });

  it("derives the same key from the master key as the vectors' device key", () => {
    const v = band.valid[0]!;
    const derived = deriveDeviceKey(nodeAes128, fromHex(band.masterKey)!, v.deviceId);
    expect(Buffer.from(derived).toString("hex")).toBe(v.deviceKey);
  });

  it("an adapter that stays off is NOT RUN with the fix, never a pass", async () => {
    const noble = new FakeNoble("poweredOff");
    const err = await poweredOn(noble, 50).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotRunError);
    expect((err as NotRunError).fix).toMatch(/setcap/);
    const unauthorized = new FakeNoble("unknown");
    const p = poweredOn(unauthorized, 1000).catch((e: unknown) => e);
    unauthorized.emit("stateChange", "unauthorized");
    expect(((await p) as Error).message).toMatch(/unauthorized/);
  });
});

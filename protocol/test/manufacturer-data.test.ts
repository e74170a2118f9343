import { describe, expect, it } from "vitest";
import {
  companyIdOf,
  companyIdScanFilter,
  frameInAdvertPacket,
  frameUnderCompanyId,
  manufacturerAdvertPacket,
  withCompanyId,
} from "../src/manufacturer-data.js";

// Espruino's Bluetooth SIG company identifier is 0x0590, sent little-endian: 0x90 0x05.
describe("manufacturer data under 0x0590", () => {
  it("adds and strips the little-endian prefix", () => {
    expect([...withCompanyId([0x11, 0x22])]).toEqual([0x90, 0x05, 0x11, 0x22]);
    expect(companyIdOf([0x90, 0x05])).toBe(0x0590);
    expect(companyIdOf([0x90])).toBe(-1);
    expect([...frameUnderCompanyId([0x90, 0x05, 0x11])!]).toEqual([0x11]);
    expect(frameUnderCompanyId([0x90, 0x05])!.length).toBe(0);
    expect(frameUnderCompanyId([0x05, 0x90, 0x11])).toBeNull();
    expect(frameUnderCompanyId([0x4c, 0x00, 0x02])).toBeNull(); // Apple
    expect(frameUnderCompanyId(undefined)).toBeNull();
  });
  it("builds and finds the AD structure in a raw advertising packet", () => {
    const p = manufacturerAdvertPacket([0x21, 0x01]);
    expect(p).toEqual([5, 0xff, 0x90, 0x05, 0x21, 0x01]);
    expect([...frameInAdvertPacket(p)!]).toEqual([0x21, 0x01]);
    // after a flags structure, and skipping another company's data
    const flagsAndApple = [2, 0x01, 0x06, 4, 0xff, 0x4c, 0x00, 0x02];
    expect([...frameInAdvertPacket(flagsAndApple.concat(p))!]).toEqual([0x21, 0x01]);
    expect(frameInAdvertPacket(flagsAndApple)).toBeNull();
    expect(frameInAdvertPacket([9, 0xff, 0x90, 0x05, 1])).toBeNull(); // length beyond the packet
  });
  it("the Espruino scan filter names the company id as findDevices expects", () => {
    expect(companyIdScanFilter()).toEqual({ manufacturerData: { "1424": {} } });
  });
});

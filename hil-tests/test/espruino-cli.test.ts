// The espruino CLI commands the rig sends: exact command lines, checked inputs, and a port that
// does not exist is NOT RUN with the fix (the real CLI is run).
import { describe, expect, it } from "vitest";
import {
  broadcastExpression,
  espruinoArgs,
  espruinoEval,
  setGoalExpression,
  setTimeExpression,
} from "../src/device/espruino-cli.js";
import { NotRunError } from "../src/scenario/types.js";

describe("espruino CLI commands", () => {
  it("uses the serial console at 9600 baud without BLE, or a BLE address", () => {
    expect(espruinoArgs("/dev/ttyUSB0", "1+1")).toEqual([
      "--no-ble",
      "-p",
      "/dev/ttyUSB0",
      "-b",
      "9600",
      "-e",
      "1+1",
    ]);
    expect(espruinoArgs("COM4", "x")).toEqual(["--no-ble", "-p", "COM4", "-b", "9600", "-e", "x"]);
    expect(espruinoArgs("e7:12:34:56:78:9a", "x")).toEqual(["-p", "e7:12:34:56:78:9a", "-e", "x"]);
  });

  it("builds the clock, goal and broadcast expressions", () => {
    expect(setTimeExpression(1795425000.9)).toBe(
      'setTime(1795425000);print("HIL-OK",Math.floor(getTime()))',
    );
    expect(setGoalExpression(8000)).toContain('c.goal=8000;S.writeJSON("liot.cfg",c)');
    expect(setGoalExpression(8000)).toContain("setTimeout(load,100)");
    expect(() => setGoalExpression(99)).toThrow(/outside the firmware's 100\.\.100000/);
    expect(broadcastExpression(Uint8Array.of(0x11, 0xff), 10_000)).toBe(
      "NRF.setAdvertising({},{manufacturer:0x0590,manufacturerData:[17,255],interval:100});" +
        'setTimeout(function(){NRF.setAdvertising({})},10000);print("HIL-OK")',
    );
  });

  it("a device that does not answer is NOT RUN with the fix", async () => {
    const err = await espruinoEval("/dev/ttyHIL-nonexistent", setTimeExpression(0), 20_000).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NotRunError);
    expect((err as NotRunError).message).toMatch(/\/dev\/ttyHIL-nonexistent/);
    expect((err as NotRunError).fix).toMatch(/USB-TTL/);
  }, 30_000);
});

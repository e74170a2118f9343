// Rig configs: the examples load, and every kind of mistake is an error naming the YAML path and
// the fix (unknown names, pins the board lacks, a pin used twice, both or neither key).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { loadRigConfig, parseRigConfig, RigConfigError } from "../src/config/load-rig-config.js";
import { analogPinNumber, pinProblem } from "../src/config/pins.js";

const rigs = (f: string) => fileURLToPath(new URL(`../rigs/${f}`, import.meta.url));
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test edits raw YAML freely
const example = () => parse(readFileSync(rigs("example.yaml"), "utf8")) as Record<string, any>;

function errorOf(raw: unknown): string {
  try {
    parseRigConfig(raw, "rig.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(RigConfigError);
    return (e as Error).message;
  }
  throw new Error("expected the config to be rejected");
}

describe("rig config", () => {
  it("loads the example and the simulator's rig with defaults applied", () => {
    const c = loadRigConfig(rigs("example.yaml"));
    expect(c.devices.band?.pins.power).toEqual({ pin: 7, type: "NO" });
    expect(c.devices.classroom?.pins.power?.type).toBe("NC");
    expect(c.shaker?.hz).toBe(1.5);
    const sim = loadRigConfig(rigs("sim.yaml"));
    expect(sim.devices.band?.pins.light?.green).toBe("A1");
    expect(sim.devices.band?.board).toBe("puckjs2");
    const bangle = loadRigConfig(rigs("sim-bangle.yaml"));
    expect(bangle.devices.band).toMatchObject({
      board: "banglejs2",
      pins: { vibration: { pin: "A5" } },
    });
  });

  it("names an unknown pin and lists the known ones", () => {
    const raw = example();
    raw.devices.band.pins.shakr = { pin: 3 };
    const msg = errorOf(raw);
    expect(msg).toMatch(/devices\.band\.pins: unknown name shakr/);
    expect(msg).toMatch(/known: power, light, vibration, lowSupply, co2Valve, fan/);
  });

  it("refuses pins the board does not have, the serial pins and analog names on digital roles", () => {
    const raw = example();
    raw.devices.band.pins.power = { pin: 14 };
    raw.devices.band.pins.light.green = "A7";
    raw.shaker.pin = 1;
    raw.devices.classroom.pins.fan = { pin: "A2" };
    const msg = errorOf(raw);
    expect(msg).toMatch(
      /devices\.band\.pins\.power\.pin: pin 14 does not exist on a uno: use 2\.\.13/,
    );
    expect(msg).toMatch(
      /devices\.band\.pins\.light\.green: A7 does not exist on a uno: use A0\.\.A5/,
    );
    expect(msg).toMatch(/shaker\.pin: pin 1 carries the Firmata serial link/);
    expect(msg).toMatch(/devices\.classroom\.pins\.fan\.pin: "A2" is not a digital pin/);
  });

  it("accepts the same pins on a mega and refuses a pin wired twice", () => {
    const raw = example();
    raw.firmata.board = "mega";
    raw.devices.band.pins.power = { pin: 40 };
    raw.devices.band.pins.light.green = "A9";
    expect(() => parseRigConfig(raw)).not.toThrow();
    raw.devices.classroom.pins.fan = { pin: 9 };
    expect(errorOf(raw)).toMatch(
      /devices\.classroom\.pins\.fan\.pin: pin 9 is already used by shaker\.pin/,
    );
  });

  it("wants exactly one of key and masterKey, 32 hex characters", () => {
    const raw = example();
    raw.devices.band.key = "00".repeat(16);
    expect(errorOf(raw)).toMatch(/devices\.band: give exactly one of key .* or masterKey/);
    delete raw.devices.band.key;
    raw.devices.band.masterKey = "xyz";
    expect(errorOf(raw)).toMatch(/devices\.band\.masterKey: must be 32 hex characters/);
  });

  it("checks the shaker's arc, the light calibration and the broker URL", () => {
    const raw = example();
    raw.shaker.toDeg = 65;
    raw.devices.band.pins.light.lit = 10;
    raw.gateway.broker = "http://x";
    const msg = errorOf(raw);
    expect(msg).toMatch(/shaker: fromDeg and toDeg must be at least 10 degrees apart/);
    expect(msg).toMatch(/devices\.band\.pins\.light: lit must be brighter/);
    expect(msg).toMatch(/gateway\.broker: must be an mqtt/);
  });

  it("says how to start when the file is missing or not YAML", () => {
    expect(() => loadRigConfig("/nonexistent/rig.yaml")).toThrow(
      /Copy hil-tests\/rigs\/example\.yaml/,
    );
    const dir = mkdtempSync(join(tmpdir(), "rig-"));
    writeFileSync(join(dir, "bad.yaml"), "firmata: [unclosed");
    expect(() => loadRigConfig(join(dir, "bad.yaml"))).toThrow(/is not valid YAML/);
  });

  it("maps analog names to Firmata pin numbers per board", () => {
    expect(analogPinNumber("uno", "A0")).toBe(14);
    expect(analogPinNumber("mega", "A0")).toBe(54);
    expect(pinProblem("nano", "A7", "analog")).toBeNull();
  });
});

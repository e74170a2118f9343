// Enrolment mode in the simulator, through the Nordic UART console exactly as a Web Bluetooth page
// talks to it (`\x10eval(process.env.CONSOLE).println(JSON.stringify(...))`).
import { beforeAll, describe, expect, it } from "vitest";
import { deriveDeviceKey, deriveTimeKey, nodeAes128, toHex, fromHex } from "@leiden-iot/protocol";
import { ENROL_TIMING } from "../../src/enrol/enrol-mode.js";
import { DEMO_MASTER_KEY, createSimulation, type Simulation } from "../../src/sim/simulation.js";
import { NusCentral } from "./nus-central.js";
import { bandAdverts, ensureBundles } from "./support.js";

beforeAll(() => ensureBundles(), 60_000);

const START = 1794268800;
const master = fromHex(DEMO_MASTER_KEY)!;

/** A central on the simulated NUS: connect, pair, evaluate like @espruino-tools/uart does. */
class Central extends NusCentral {
  pair(): this {
    this.sim.uart.pair(this.link);
    return this;
  }
  eval(expr: string): unknown {
    this.out = "";
    this.send("\x10eval(process.env.CONSOLE).println(JSON.stringify(" + expr + "))\n");
    const line = this.out.split("\r\n")[0]!;
    return JSON.parse(line);
  }
}

function request(id: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    key: toHex(deriveDeviceKey(nodeAes128, master, id)),
    tkey: toHex(deriveTimeKey(nodeAes128, master)),
    t: START + 5,
    goal: 9000,
    ...extra,
  };
}

function unenrolled(): Simulation {
  return createSimulation({ device: "band", start: START, provision: false, rtcSet: false });
}

describe("band enrolment mode", () => {
  it("an unenrolled band is connectable and blinks; a paired page enrols it and it then advertises signed frames only", () => {
    const sim = unenrolled();
    sim.advance(10_000);
    expect(sim.uart.connectable()).toBe(true);
    expect(sim.pinEvents.filter((p) => p.pin === "LED3").length).toBeGreaterThanOrEqual(5);
    expect(sim.uart.security).toMatchObject({ lesc: 1, encryptUart: 1 });
    const c = new Central(sim);
    expect(() => sim.uart.write(c.link, "1\n")).toThrow(/insufficient encryption/);
    c.pair();
    expect(c.link.lesc).toBe(true);
    expect(c.eval("liot.info()")).toEqual({
      kind: "band",
      enrolled: false,
      id: null,
      open: true,
      fw: 1,
    });
    expect(c.eval("liot.enrol(" + JSON.stringify(request(257)) + ")")).toEqual({
      ok: true,
      id: 257,
    });
    sim.advance(ENROL_TIMING.RESTART_MS + 100);
    expect(c.closed).toMatch(/disconnected/);
    expect(sim.uart.connectable()).toBe(false);
    expect(JSON.parse(sim.storage.files["liot.cfg"]!)).toMatchObject({ id: 257, goal: 9000 });
    expect(sim.deviceTime()).toBeGreaterThan(START);
    sim.advance(20 * 60_000);
    const heard = bandAdverts(sim.radio, deriveDeviceKey(nodeAes128, master, 257));
    expect(heard.length).toBeGreaterThan(0);
    expect(heard[heard.length - 1]!.flags.clockNotSet).toBe(false);
    expect(sim.errors).toEqual([]);
  });

  it("an enrolled band is connectable only for two minutes after a long press, never after a short one", () => {
    const sim = createSimulation({ device: "band", start: START });
    sim.advance(60_000);
    expect(sim.uart.connectable()).toBe(false);
    expect(() =>
      sim.uart.connect(
        () => undefined,
        () => undefined,
      ),
    ).toThrow(/not advertising connectable/);
    sim.uart.holdButton(500);
    sim.advance(1000);
    expect(sim.uart.connectable()).toBe(false);
    sim.uart.holdButton(3500);
    sim.advance(4000);
    expect(sim.uart.connectable()).toBe(true);
    sim.advance(ENROL_TIMING.WINDOW_S * 1000 - 5000);
    expect(sim.uart.connectable()).toBe(true);
    sim.advance(5000);
    expect(sim.uart.connectable()).toBe(false);
    // the band's own rotation is back (non-connectable, the frames held back during the window)
    expect(sim.advert.options).toMatchObject({ connectable: false });
    expect(sim.advert.packets.length).toBeGreaterThan(0);
    expect(sim.errors).toEqual([]);
  });

  it("re-enrolling needs reset: true, which erases the previous wearer's days", () => {
    const sim = createSimulation({ device: "band", start: START });
    sim.advance(60_000);
    expect(sim.storage.files["liot.s0"] ?? sim.storage.files["liot.s1"]).toBeDefined();
    sim.uart.holdButton(3500);
    sim.advance(4000);
    const c = new Central(sim).pair();
    expect(c.eval("liot.info()")).toMatchObject({ enrolled: true, id: 257 });
    expect(c.eval("liot.enrol(" + JSON.stringify(request(300)) + ")")).toEqual({
      ok: false,
      error: "enrolled",
    });
    expect(c.eval("liot.enrol(" + JSON.stringify(request(300, { reset: true })) + ")")).toEqual({
      ok: true,
      id: 300,
    });
    expect(sim.storage.files["liot.s0"]).toBeUndefined();
    expect(sim.storage.files["liot.s1"]).toBeUndefined();
    sim.advance(5000);
    expect(JSON.parse(sim.storage.files["liot.cfg"]!).id).toBe(300);
  });

  it("rate limits: three refused requests or a fourth connection close the window", () => {
    const sim = unenrolled();
    sim.advance(1000);
    const c = new Central(sim).pair();
    for (let i = 0; i < 3; i++)
      expect(c.eval("liot.enrol(" + JSON.stringify(request(257, { key: "00" })) + ")")).toEqual({
        ok: false,
        error: "key",
      });
    sim.advance(500);
    expect(c.closed).not.toBeNull();
    expect(sim.uart.connectable()).toBe(false);
    expect(sim.storage.files["liot.cfg"]).toBeUndefined();
    sim.uart.holdButton(3500); // the next long press opens it again
    sim.advance(4000);
    for (let i = 0; i < 3; i++) {
      const k = new Central(sim);
      sim.uart.disconnect(k.link);
    }
    expect(sim.uart.connectable()).toBe(true);
    new Central(sim);
    expect(sim.uart.connectable()).toBe(false);
  });

  it("a line cut off mid-write (out of range) writes nothing", () => {
    const sim = unenrolled();
    sim.advance(1000);
    const c = new Central(sim).pair();
    const cmd =
      "\x10eval(process.env.CONSOLE).println(JSON.stringify(liot.enrol(" +
      JSON.stringify(request(257)) +
      ")))\n";
    sim.uart.write(c.link, cmd.substring(0, 60));
    sim.uart.disconnect(c.link, "out of range");
    sim.advance(5000);
    expect(sim.storage.files["liot.cfg"]).toBeUndefined();
    const d = new Central(sim).pair();
    expect(d.eval("liot.info()")).toMatchObject({ enrolled: false });
  });

  it("classroom node: same flow with LoRa identity and room name", () => {
    const sim = createSimulation({ device: "classroom", start: START, provision: false });
    sim.advance(1000);
    const c = new Central(sim).pair();
    expect(c.eval("liot.info()")).toMatchObject({ kind: "classroom", enrolled: false });
    const req = request(100001, {
      appkey: "00112233445566778899aabbccddeeff",
      deveui: "024c494f000186a1",
      appeui: "0000000000000000",
      room: "Groep 7b",
      goal: undefined,
    });
    expect(c.eval("liot.enrol(" + JSON.stringify({ ...req, room: 'a"b' }) + ")")).toMatchObject({
      error: "room",
    });
    expect(c.eval("liot.enrol(" + JSON.stringify(req) + ")")).toEqual({ ok: true, id: 100001 });
    sim.advance(5 * 60_000);
    expect(JSON.parse(sim.storage.files["liot.cfg"]!)).toMatchObject({ room: "Groep 7b" });
    expect(sim.rn2483.commandLog.some((l) => l.cmd === "mac join otaa")).toBe(true);
    expect(sim.errors).toEqual([]);
  });
});

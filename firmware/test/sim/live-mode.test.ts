// Live mode ("Kijk mee") in the simulator, through the Nordic UART as the page uses it: the shipped
// boot bundle loads the Storage module liot.live on a 1-3 s press, streams protocol live lines,
// and never lets a central reach the Espruino console.
import { beforeAll, describe, expect, it } from "vitest";
import { parseLiveLine, type LiveLine } from "@leiden-iot/protocol";
import { LIVE_TIMING } from "../../src/classroom/live-mode.js";
import { createSimulation, type Simulation } from "../../src/sim/simulation.js";
import { NusCentral } from "./nus-central.js";
import { classroomAdverts, ensureBundles } from "./support.js";

beforeAll(() => ensureBundles(), 60_000);

const START = 1794268800;

/** The Kijk mee page's end of the link: the live lines it received. */
class Page extends NusCentral {
  lines(): LiveLine[] {
    return this.out
      .split("\n")
      .filter((l) => l.length > 0)
      .map((l) => {
        const r = parseLiveLine(l);
        if (!r.ok) throw new Error("not a live line: " + JSON.stringify(l) + " (" + r.detail + ")");
        return r.value;
      });
  }
}

function classroom(): Simulation {
  const sim = createSimulation({ device: "classroom", start: START });
  const cfg = JSON.parse(sim.storage.files["liot.cfg"]!) as Record<string, unknown>;
  sim.storage.set("liot.cfg", JSON.stringify({ ...cfg, room: "Groep 7b" }));
  sim.reload();
  sim.advance(70_000);
  return sim;
}

function scanName(sim: Simulation): string {
  const p = sim.advert.scanResponse ?? [];
  return p.length > 2 && p[1] === 9 ? String.fromCharCode(...p.slice(2, 1 + p[0]!)) : "";
}

describe("classroom live mode", () => {
  it("a 1-3 s press makes the node connectable as 'LIOT live <room>'; after 'start' it streams readings every 5 s", () => {
    const sim = classroom();
    expect(sim.uart.connectable()).toBe(false);
    expect(sim.storage.files["liot.live"]).toBeDefined();
    const advertsBefore = sim.radio.length;
    sim.uart.holdButton(1500);
    sim.advance(2000);
    expect(sim.errors).toEqual([]);
    expect(sim.uart.connectable()).toBe(true);
    expect(scanName(sim)).toBe("LIOT live Groep 7b");
    // the gateway keeps hearing the room: the app's signed advert, now connectable
    expect(sim.radio.length).toBeGreaterThan(advertsBefore);
    expect(classroomAdverts(sim.radio.slice(advertsBefore), sim.deviceKey).length).toBeGreaterThan(
      0,
    );
    // the double blue blink of live mode
    expect(sim.pinEvents.some((e) => e.pin === "LED3" && Array.isArray(e.ms))).toBe(true);

    const page = new Page(sim);
    sim.advance(6000);
    expect(page.out).toBe(""); // nothing before "start"
    page.send("start\n");
    sim.advance(100); // the sensor read takes a few I2C steps
    const [h, r0] = page.lines();
    expect(h).toMatchObject({ kind: "header", deviceId: 257, intervalS: 5, room: "Groep 7b" });
    expect((h as { windowLeftS: number }).windowLeftS).toBeGreaterThan(LIVE_TIMING.WINDOW_S - 10);
    expect(r0).toMatchObject({ kind: "reading", seq: 0, reading: { co2Ppm: 600 } });
    // a child breathes on the sensor
    sim.setCo2(1800);
    sim.advance(30_000);
    const readings = page.lines().filter((l) => l.kind === "reading");
    expect(readings.length).toBeGreaterThanOrEqual(6);
    expect(readings.map((l) => (l as { seq: number }).seq)).toEqual(readings.map((_, i) => i));
    expect(readings.at(-1)).toMatchObject({ reading: { co2Ppm: 1800 } });
    // the signal is the node's own traffic light, moved by the app's readings (once a minute)
    sim.advance(120_000);
    expect(page.lines().at(-1)).toMatchObject({ reading: { co2Ppm: 1800 }, signal: "red" });
    expect(sim.errors).toEqual([]);
  });

  it("the console is out of reach: no evaluation, no reply, nothing but live lines", () => {
    const sim = classroom();
    sim.uart.holdButton(1500);
    sim.advance(2000);
    const page = new Page(sim);
    page.send(
      "\x03\x10eval(process.env.CONSOLE).println(JSON.stringify(require('Storage').read('liot.cfg')))\n",
    );
    page.send("liot.info()\n");
    page.send("reset();\nLED1.set()\n");
    sim.advance(12_000);
    expect(page.out).toBe("");
    expect(sim.ledState().LED1).toBe(0);
    page.send("start\n");
    sim.advance(6000);
    expect(page.out).not.toMatch(/key|=|Uncaught/);
    expect(page.lines().length).toBeGreaterThan(1);
  });

  it("'stop' ends live mode: an end line, the link drops, and the node is no longer connectable", () => {
    const sim = classroom();
    sim.uart.holdButton(1500);
    sim.advance(2000);
    const page = new Page(sim);
    page.send("start\n");
    sim.advance(1000);
    page.send("stop\n");
    sim.advance(1000);
    expect(page.lines().at(-1)).toEqual({ kind: "end", reason: "stop" });
    expect(page.closed).not.toBeNull();
    expect(sim.uart.connectable()).toBe(false);
    expect(scanName(sim)).toBe("");
    // the app's adverts go on, non-connectable again
    const n = sim.radio.length;
    sim.advance(61_000);
    expect(sim.radio.length).toBeGreaterThan(n);
    expect(sim.advert.options.connectable).toBe(false);
  });

  it("the window closes by itself after a lesson; a page that reconnects after a drop gets the stream again", () => {
    const sim = classroom();
    sim.uart.holdButton(1500);
    sim.advance(2000);
    let page = new Page(sim);
    page.send("start\n");
    sim.uart.disconnect(page.link, "out of range");
    sim.advance(20_000);
    page = new Page(sim);
    page.send("start\n");
    expect(page.lines()[0]).toMatchObject({ kind: "header" });
    sim.advance(LIVE_TIMING.WINDOW_S * 1000);
    expect(page.lines().at(-1)).toEqual({ kind: "end", reason: "time" });
    expect(page.closed).not.toBeNull();
    expect(sim.uart.connectable()).toBe(false);
    expect(sim.errors).toEqual([]);
  });

  it("a 3 s press during live mode ends it and opens enrolment mode with the console back on Bluetooth", () => {
    const sim = classroom();
    sim.uart.holdButton(1500);
    sim.advance(2000);
    sim.uart.holdButton(3500);
    sim.advance(4000);
    expect(sim.uart.connectable()).toBe(true);
    expect(scanName(sim)).toBe("");
    let out = "";
    const l2 = sim.uart.connect(
      (d) => (out += d),
      () => undefined,
    );
    sim.uart.pair(l2);
    sim.uart.write(l2, "\x10eval(process.env.CONSOLE).println(JSON.stringify(liot.info().open))\n");
    expect(out).toContain("true");
    expect(sim.uart.security).toMatchObject({ encryptUart: 1 });
  });

  it("the app's own readings are not disturbed by the live stream (one sensor, shared samples)", () => {
    const sim = classroom();
    sim.uart.holdButton(1500);
    sim.advance(2000);
    const page = new Page(sim);
    page.send("start\n");
    const from = sim.radio.length;
    sim.advance(20 * 60_000);
    const ads = classroomAdverts(sim.radio.slice(from), sim.deviceKey);
    expect(ads.length).toBeGreaterThan(15);
    expect(ads.every((a) => a.reading !== null && !a.status.sensorFault)).toBe(true);
    expect(page.lines().every((l) => l.kind !== "reading" || l.reading !== null)).toBe(true);
  });
});

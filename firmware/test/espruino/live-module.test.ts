// The live-mode Storage module (dist/classroom-live.js as "liot.live") on the real Espruino 2v29
// interpreter sized like a Puck.js: require() loads it from Storage, LoopbackA.setConsole takes
// the console off (the interpreter says "-> LoopbackA"), it answers "start" with protocol live
// lines, ignores a console command, ends on "stop" and gives the console back; and what it costs.
// The classroom app itself is not run here (its I2C/Serial stand-ins are another task): the test
// hands the module a reading source and records what it does to NRF and Bluetooth.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLiveLine } from "@leiden-iot/protocol";
import { ensureBundles } from "../sim/support.js";
import { FIRMWARE_DIR, interpreterBin, runInterpreter, writeStorage } from "./interpreter.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "liot-live-espruino-"));
beforeAll(() => ensureBundles(), 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Hardware the Linux build lacks, recorded instead of touched.
const STAND_INS = `
var __out = [], __bt = {}, __nrf = {};
global.Bluetooth = { write: function (s) { __out.push(s); }, on: function (e, f) { __bt[e] = f; },
  setConsole: function () { __out.push("<console back>"); } };
global.NRF = { setSecurity: function (o) { __out.push("<security " + JSON.stringify(o) + ">"); },
  setScanResponse: function (p) { __out.push("<scan " + p.length + ">"); },
  setAdvertising: function (d, o) { __out.push("<advert " + d.length + " " + JSON.stringify(o) + ">"); },
  on: function (e, f) { __nrf[e] = f; }, disconnect: function () { __out.push("<disconnect>"); },
  setAddress: function () {} };
var LED3 = { pin: "LED3" };
function digitalPulse(p, v, ms) { __out.push("<pulse " + p.pin + " " + JSON.stringify(ms) + ">"); }
`;

const RUN = `
var S = require("Storage");
var dev = { timers: { every: function (ms, f) { return setInterval(f, ms); },
    after: function (ms, f) { return setTimeout(f, ms); }, cancel: function (i) { clearTimeout(i); } },
  clock: { now: function () { return getTime(); } }, store: { read: function (n) { return S.read(n); } },
  radio: { advertise: function () {}, setAddress: function () {}, scan: function () {} } };
var view = { sample: function (d) { d({ co2Ppm: 1234, temperatureDeci: 214, humidityHalfPercent: 90 }); },
  signal: function () { return "orange"; },
  advertise: function () { dev.radio.advertise([new Uint8Array(24)], 1000); } };
process.memory();
var m1 = process.memory().usage;
var live = require("liot.live").press(dev, view);
var m2 = process.memory().usage;
__nrf.connect(); __bt.data("sta"); __bt.data("rt\\n"); __bt.data("\\x10eval(process.env.CONSOLE).println(1)\\n");
setTimeout(function () {
  var m3 = process.memory().usage;
  __bt.data("stop\\n");
  setTimeout(function () {
    S.write("result", JSON.stringify({ out: __out, open: m2 - m1, streaming: m3 - m1,
      ended: process.memory().usage - m1, total: process.memory().total }));
    quit();
  }, 600);
}, 11000);
`;

describe("live-mode module on the real interpreter (Puck.js sizes)", () => {
  it("loads from Storage, streams live lines after 'start', ignores console input, ends on 'stop'", async () => {
    writeStorage(dir, {
      ".boot0": STAND_INS,
      "liot.live": readFileSync(path.join(FIRMWARE_DIR, "dist", "classroom-live.js"), "latin1"),
      "liot.cfg": JSON.stringify({ id: 100002, room: "Groep 7b" }),
    });
    const run = await runInterpreter("puckjs2", dir, RUN, 30_000);
    expect(run.timedOut).toBe(false);
    expect(run.lines.join("\n")).toContain("-> LoopbackA");
    const read = spawnSync(
      interpreterBin("linux64"),
      ["-e", "print('RESULT'+require('Storage').read('result'));quit();"],
      { cwd: dir, encoding: "latin1", input: "" },
    );
    const m = /RESULT(\{.*\})/.exec(read.stdout);
    expect(m, read.stdout).not.toBeNull();
    const r = JSON.parse(m![1]!) as {
      out: string[];
      open: number;
      streaming: number;
      ended: number;
      total: number;
    };
    expect(r.total).toBe(2630);
    expect(r.out.slice(0, 3)).toEqual([
      '<security {"encryptUart":0}>',
      "<scan 20>", // "LIOT live Groep 7b" as a complete local name
      '<advert 27 {"interval":1000,"connectable":true,"scannable":true}>', // flags + the app's 24
    ]);
    const lines = r.out.filter((s) => !s.startsWith("<")).map((s) => parseLiveLine(s));
    expect(lines.every((l) => l.ok)).toBe(true);
    const values = lines.map((l) => (l.ok ? l.value : null));
    expect(values[0]).toMatchObject({ kind: "header", deviceId: 100002, room: "Groep 7b" });
    expect(values.filter((v) => v?.kind === "reading").length).toBeGreaterThanOrEqual(2);
    expect(values.at(-1)).toEqual({ kind: "end", reason: "stop" });
    expect(r.out.slice(-3)).toEqual(["<disconnect>", "<scan 0>", "<console back>"]);
    expect(r.out.filter((s) => s.startsWith("<pulse LED3 [40,160,40]")).length).toBeGreaterThan(1);
    console.log(
      `live module on espruino-puckjs2: ${r.open} vars when open, ${r.streaming} streaming, ${r.ended} after it ended (module cached), of ${r.total}`,
    );
    // budget: under a fifth of the Puck's variables
    expect(r.open).toBeLessThan(526);
  }, 60_000);
});

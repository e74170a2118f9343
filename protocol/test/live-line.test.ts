import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  encodeLiveEnd,
  encodeLiveHeader,
  encodeLiveReading,
  liveCommand,
  liveLineSplitter,
  parseLiveLine,
  type LiveLine,
} from "../src/device.js";

const header: LiveLine = {
  kind: "header",
  deviceId: 100005,
  windowLeftS: 3600,
  intervalS: 5,
  room: "Groep 7b, lokaal 2",
};
const reading: LiveLine = {
  kind: "reading",
  seq: 12,
  reading: { co2Ppm: 1234, temperatureDeci: 214, humidityHalfPercent: 91 },
  signal: "orange",
};

describe("live lines (classroom live mode)", () => {
  it("encodes the documented text and parses it back", () => {
    expect(encodeLiveHeader(header as never)).toBe("lv1 h 100005 3600 5 Groep 7b, lokaal 2\n");
    expect(encodeLiveReading(reading as never)).toBe("lv1 r 12 1234 214 91 orange\n");
    expect(encodeLiveReading({ kind: "reading", seq: 0, reading: null, signal: "none" })).toBe(
      "lv1 r 0 - - - none\n",
    );
    expect(encodeLiveEnd("time")).toBe("lv1 e time\n");
    for (const l of [header, reading]) {
      const text = l.kind === "header" ? encodeLiveHeader(l) : encodeLiveReading(l as never);
      expect(parseLiveLine(text)).toEqual({ ok: true, value: l });
    }
    expect(parseLiveLine("lv1 r 3 - - - none\r\n")).toEqual({
      ok: true,
      value: { kind: "reading", seq: 3, reading: null, signal: "none" },
    });
    expect(parseLiveLine("lv1 e stop")).toEqual({
      ok: true,
      value: { kind: "end", reason: "stop" },
    });
  });

  it("round-trips every valid reading", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0x7fffffff }),
        fc.integer({ min: 0, max: 40000 }),
        fc.integer({ min: -400, max: 1000 }),
        fc.integer({ min: 0, max: 200 }),
        fc.constantFrom("green", "orange", "red", "none"),
        (seq, co2, t, rh, signal) => {
          const l = {
            kind: "reading" as const,
            seq,
            reading: { co2Ppm: co2, temperatureDeci: t, humidityHalfPercent: rh },
            signal: signal as "green",
          };
          expect(parseLiveLine(encodeLiveReading(l))).toEqual({ ok: true, value: l });
        },
      ),
    );
  });

  it("refuses a bad line naming the field, and never throws", () => {
    const reason = (s: string) => {
      const r = parseLiveLine(s);
      return r.ok ? "ok" : r.reason + ": " + r.detail;
    };
    expect(reason("=undefined")).toMatch(/^not_live/);
    expect(reason("lv1 r 1 99999 200 90 green")).toMatch(/co2Ppm/);
    expect(reason("lv1 r 1 800 2000 90 green")).toMatch(/temperatureDeci/);
    expect(reason("lv1 r 1 800 200 201 green")).toMatch(/humidityHalfPercent/);
    expect(reason("lv1 r 1 800 200 90 blue")).toMatch(/signal/);
    expect(reason("lv1 r x 800 200 90 green")).toMatch(/seq/);
    expect(reason("lv1 h 5 60 0 Room")).toMatch(/intervalS/);
    expect(reason("lv1 h 5 60 5 ")).toMatch(/room/);
    expect(reason("lv1 e later")).toMatch(/end reason/);
    expect(reason("lv1 h 5 60 5 " + "x".repeat(60))).toMatch(/longer/);
    fc.assert(fc.property(fc.string(), (s) => void parseLiveLine(s)));
  });

  it("splits 20-byte notifications into lines and drops a run without newline", () => {
    const got: string[] = [];
    const feed = liveLineSplitter((l) => got.push(l));
    const text = encodeLiveHeader(header as never) + encodeLiveReading(reading as never);
    for (let i = 0; i < text.length; i += 20) feed(text.substring(i, i + 20));
    expect(got).toEqual([text.split("\n")[0], text.split("\n")[1]]);
    feed("x".repeat(100));
    feed("\nlv1 e stop\r\n");
    expect(got.slice(2)).toEqual(["lv1 e stop"]);
  });

  it("knows only the two page commands", () => {
    expect(liveCommand("start\r")).toBe("start");
    expect(liveCommand(" stop ")).toBe("stop");
    expect(liveCommand("liot.enrol({})")).toBeNull();
    expect(liveCommand("\x10eval(process.env.CONSOLE)")).toBeNull();
  });
});

import { afterEach, describe, expect, it } from "vitest";
import classroomNode from "../../src/nodes/classroom-status.js";
import { collect, helper, until } from "../support/red-helper.js";

const P = "271462ca-b904-80e8-9fe7-05c8eb02945f";
const flow = (extra: Record<string, unknown> = {}) => [
  {
    id: "s",
    type: "liot-classroom-status",
    preset: "bouwbesluit",
    alertPpm: "1200",
    alertMinutes: "10",
    ...extra,
    wires: [["sig"], ["alert"]],
  },
  { id: "sig", type: "helper" },
  { id: "alert", type: "helper" },
  { id: "c", type: "catch", scope: null, uncaught: false, wires: [["caught"]] },
  { id: "caught", type: "helper" },
];
const room = (readings: [number, number | null][], sensorFault = false) => ({
  payload: {
    kind: "classroom_reading",
    pseudonym: P,
    sensorFault,
    readings: readings.map(([time, co2Ppm]) => ({ time, co2Ppm, temperature: 21.5, humidity: 44 })),
  },
});

afterEach(() => helper.unload());

describe("liot-classroom-status", () => {
  it("emits a signal per reading with hysteresis and Dutch advice", async () => {
    await helper.load(classroomNode, flow());
    const sig = collect("sig");
    helper.getNode("s").receive(
      room([
        [100, 800],
        [160, 1050],
        [220, 980],
        [280, 940],
      ]),
    );
    await until(() => sig.length === 4);
    expect(sig.map((m) => (m.payload as { signal: string }).signal)).toEqual([
      "green",
      "orange",
      "orange",
      "green",
    ]);
    expect((sig[1]!.payload as { advice: { nl: string } }).advice.nl).toMatch(/raam of deur open/);
    expect(sig[0]!.topic).toBe(P);
  });

  it("alerts once when CO2 stays above 1200 ppm for 10 minutes, across messages", async () => {
    await helper.load(classroomNode, flow());
    const alerts = collect("alert");
    const s = helper.getNode("s");
    for (let t = 0; t <= 660; t += 60) s.receive(room([[1000 + t, 1350]]));
    s.receive(room([[1800, 900]]));
    await until(() => alerts.length === 2);
    expect(alerts.map((m) => m.topic)).toEqual(["co2-alert", "co2-cleared"]);
    expect(alerts[0]!.payload).toMatchObject({
      type: "alert",
      pseudonym: P,
      since: 1000,
      time: 1600,
      co2Ppm: 1350,
    });
  });

  it("uses a Frisse Scholen preset and custom thresholds", async () => {
    await helper.load(classroomNode, flow({ preset: "frisse-scholen-a" }));
    const sig = collect("sig");
    helper.getNode("s").receive(room([[1, 700]]));
    await until(() => sig.length === 1);
    // class A: orange from 600, red from its 800 ppm limit (the building rules would say green)
    expect((sig[0]!.payload as { signal: string }).signal).toBe("orange");
  });

  it("reports bad input and bad configuration as catchable errors", async () => {
    await helper.load(classroomNode, flow({ preset: "custom", orangePpm: "1500", redPpm: "1000" }));
    const caught = collect("caught");
    helper.getNode("s").receive(room([[1, 850]]));
    await until(() => caught.length === 1);
    expect((caught[0]!.error as { message: string }).message).toMatch(/below the red threshold/);
    await helper.unload();
    await helper.load(classroomNode, flow());
    const caught2 = collect("caught");
    helper.getNode("s").receive({ payload: { pseudonym: P } });
    helper.getNode("s").receive({ payload: 42 });
    await until(() => caught2.length === 2);
    expect((caught2[0]!.error as { message: string }).message).toMatch(/readings missing/);
  });
});

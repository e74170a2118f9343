import { afterEach, beforeAll, describe, expect, it } from "vitest";
import decodeNode from "../../src/nodes/decode.js";
import { collect, helper, until } from "../support/red-helper.js";
import { bandVectors, classroomVectors, loraVectors } from "../support/vectors.js";

const flow = [
  { id: "d", type: "liot-decode", wires: [["bands"], ["rooms"]] },
  { id: "bands", type: "helper" },
  { id: "rooms", type: "helper" },
  { id: "c", type: "catch", scope: null, uncaught: false, wires: [["caught"]] },
  { id: "caught", type: "helper" },
];

beforeAll(() => expect(bandVectors.length).toBeGreaterThan(0));
afterEach(() => helper.unload());

describe("liot-decode", () => {
  it("sends every band vector to output 1 with its days and MQTT 5 properties", async () => {
    await helper.load(decodeNode, flow);
    const bands = collect("bands");
    for (const v of bandVectors) helper.getNode("d").receive({ ...v });
    await until(() => bands.length === bandVectors.length);
    bandVectors.forEach((v, i) => {
      const m = bands[i]!;
      const p = m.payload as { pseudonym: string; days: { steps: number }[]; counter: number };
      expect(m.kind).toBe("band_report");
      expect(p.pseudonym).toBe(v.pseudonym);
      expect(p.days[0]!.steps).toBe(v.decoded.steps);
      expect(p.counter).toBe(v.decoded.counter);
      expect((m.mqtt as { userProperties: Record<string, string> }).userProperties.mid).toBe(
        v.userProperties.mid,
      );
      expect(Array.isArray(m.records)).toBe(true);
    });
  });

  it("sends classroom vectors (BLE and LoRa) to output 2 with readings", async () => {
    await helper.load(decodeNode, flow);
    const rooms = collect("rooms");
    const all = classroomVectors.concat(loraVectors);
    for (const v of all) helper.getNode("d").receive({ ...v });
    await until(() => rooms.length === all.length);
    const first = rooms[0]!.payload as { readings: { co2Ppm: number }[]; signal: string };
    const reading = classroomVectors[0]!.decoded.reading as { co2Ppm: number };
    expect(first.readings[0]!.co2Ppm).toBe(reading.co2Ppm);
    expect(first.signal).toBe((classroomVectors[0]!.decoded.status as { signal: string }).signal);
  });

  it("raises a catchable error for a broken payload, a wrong topic or a string", async () => {
    await helper.load(decodeNode, flow);
    const caught = collect("caught");
    const v = bandVectors[0]!;
    const d = helper.getNode("d");
    d.receive({ payload: Buffer.from("a1ff", "hex"), topic: v.topic });
    d.receive({
      ...v,
      topic: v.topic.replace(v.pseudonym, "00000000-0000-8000-8000-000000000000"),
    });
    d.receive({ payload: "hello" });
    d.receive({ ...v, contentType: "application/json" });
    await until(() => caught.length === 4);
    expect(caught.map((m) => (m.error as { message: string }).message)).toEqual([
      expect.stringMatching(/bad_encoding/),
      expect.stringMatching(/topic_mismatch/),
      expect.stringMatching(/not a Buffer/),
      expect.stringMatching(/content type/),
    ]);
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import historyNode from "../../src/nodes/history-store.js";
import { collect, helper, until } from "../support/red-helper.js";

const dir = mkdtempSync(join(tmpdir(), "liot-history-"));
const file = join(dir, "history.sqlite");
const flow = [
  {
    id: "h",
    type: "liot-history-store",
    file,
    debounceMs: "20",
    bucketMinutes: "5",
    names: '{"aaaa-1":"Groep 5"}',
    wires: [["snap"]],
  },
  { id: "snap", type: "helper" },
];
const signal = (pseudonym: string, time: number, co2Ppm: number, s: string) => ({
  payload: { pseudonym, time, co2Ppm, temperature: 21, humidity: 45, signal: s },
});
type Snap = {
  classrooms: {
    name: string;
    signal: string;
    co2Ppm: number;
    alerting: boolean;
    advice: { nl: string };
    series: [number, number][];
  }[];
};

afterEach(() => helper.unload());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("liot-history-store", () => {
  it("stores signals in a SQLite file and sends them again after a restart", async () => {
    const now = Math.floor(Date.now() / 1000);
    await helper.load(historyNode, flow);
    let snaps = collect("snap");
    const h = helper.getNode("h");
    h.receive(signal("aaaa-1", now - 600, 700, "green"));
    h.receive({
      payload: [
        { ...signal("aaaa-1", now - 60, 1250, "red").payload, alerting: true },
        signal("bbbb-2", now - 30, 900, "green").payload,
      ],
    });
    h.receive(signal("cccc-3", now - 3 * 86400, 900, "green"));
    await until(() => snaps.some((s) => (s.payload as Snap).classrooms.length === 2));
    const last = snaps[snaps.length - 1]!.payload as Snap;
    expect(last.classrooms.map((c) => [c.name, c.signal, c.co2Ppm])).toEqual([
      ["Groep 5", "red", 1250],
      ["Lokaal bbbb", "green", 900],
    ]);
    expect(last.classrooms[0]!.series.length).toBe(2);
    await helper.unload();
    await helper.load(historyNode, flow);
    snaps = collect("snap");
    await until(() => snaps.length >= 1, 3000, "start-up snapshot");
    const again = (snaps[0]!.payload as Snap).classrooms;
    expect(again.map((c) => [c.signal, c.alerting])).toEqual([
      ["red", true],
      ["green", false],
    ]);
    expect(again[0]!.advice.nl).toMatch(/Ventileer nu/);
  });

  it("rejects a signal without a time", async () => {
    await helper.load(
      [historyNode],
      [
        ...flow,
        { id: "c", type: "catch", scope: null, uncaught: false, wires: [["caught"]] },
        { id: "caught", type: "helper" },
      ],
    );
    const caught = collect("caught");
    helper.getNode("h").receive({ payload: { pseudonym: "x", signal: "green" } });
    await until(() => caught.length === 1);
    expect((caught[0]!.error as { message: string }).message).toMatch(/time/);
  });
});

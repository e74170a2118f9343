// The classroom node's light and the teacher dashboard's level agree for every preset: CO2 sweeps
// 300 -> 3000 -> 300 ppm in 1 ppm steps through the firmware's signal (from the preset the node
// reads from liot.cfg) and through the dashboard's classroom state (from the preset chosen in the
// Node-RED node), and the two must be equal at every step. Each side is the package's own code.
import { describe, expect, it } from "vitest";
import { CO2_PRESETS } from "@leiden-iot/protocol";
import { defaultSettings } from "../../firmware/src/classroom/classroom-settings.js";
import { nextSignal } from "../../firmware/src/classroom/signal.js";
import { FRESH_MEMORY, stepClassroom } from "../../flows/src/core/classroom-state.js";
import { thresholdsOf } from "../../flows/src/core/co2-levels.js";

function sweep(): number[] {
  const out: number[] = [];
  for (let ppm = 300; ppm <= 3000; ppm++) out.push(ppm);
  for (let ppm = 2999; ppm >= 300; ppm--) out.push(ppm);
  return out;
}

const presetNames = CO2_PRESETS.flatMap((p) => [p.name, ...p.aliases]);

describe("CO2 signal: node and dashboard agree", () => {
  it("covers every preset under its name and its old liot.cfg name", () => {
    expect(presetNames).toEqual(
      expect.arrayContaining(["bouwbesluit", "default", "frisse-scholen-a", "A", "B", "C"]),
    );
  });

  for (const name of presetNames) {
    it(name + ": equal at every step of 300 -> 3000 -> 300 ppm", () => {
      const nodeThresholds = defaultSettings(name).thresholds;
      const dashboardThresholds = thresholdsOf(name);
      if (typeof dashboardThresholds === "string") throw new Error(dashboardThresholds);
      const rule = { abovePpm: 100000, forSeconds: 600 };
      let node: string = "none";
      let memory = FRESH_MEMORY;
      const seen = new Set<string>();
      const steps = sweep();
      const mismatches: string[] = [];
      steps.forEach((ppm, i) => {
        node = nextSignal(node as "none", ppm, nodeThresholds);
        const r = { time: i + 1, co2Ppm: ppm, temperature: 21, humidity: 45 };
        const s = stepClassroom("room", memory, [r], false, dashboardThresholds, rule);
        memory = s.memory;
        const dashboard = s.signals[0]!.signal;
        seen.add(node);
        if (node !== dashboard && mismatches.length < 5)
          mismatches.push(i + ": " + ppm + " ppm node " + node + " dashboard " + dashboard);
      });
      expect(mismatches).toEqual([]);
      expect(steps).toHaveLength(5401);
      expect([...seen].sort()).toEqual(["green", "orange", "red"]);
    });
  }
});

// liot-classroom-status: CO2 traffic light with hysteresis and a sustained-exceedance alert.
// Output 1: one signal per reading. Output 2: alert and all-clear events.
import {
  FRESH_MEMORY,
  stepClassroom,
  type ClassroomMemory,
  type Reading,
} from "../core/classroom-state.js";
import { CO2_LEGAL_LIMIT_PPM, DEFAULT_CO2_PRESET } from "@leiden-iot/protocol";
import { thresholdsOf } from "../core/co2-levels.js";
import {
  num,
  short,
  storeName,
  type Node,
  type NodeDef,
  type NodeMessage,
  type RED,
} from "./red.js";

interface ClassroomIn {
  pseudonym: string;
  readings: Reading[];
  sensorFault: boolean;
}

function readInput(msg: NodeMessage): ClassroomIn | string {
  const p = msg.payload as Record<string, unknown> | undefined;
  if (!p || typeof p !== "object") return "payload must be a decoded classroom envelope";
  if (p.kind === "classroom_status") return "status";
  if (typeof p.pseudonym !== "string") return "payload.pseudonym missing";
  if (!Array.isArray(p.readings)) return "payload.readings missing";
  for (const r of p.readings as Reading[]) {
    if (!r || typeof r.time !== "number") return "every reading needs a time";
    if (r.co2Ppm !== null && typeof r.co2Ppm !== "number") return "co2Ppm must be a number or null";
  }
  return {
    pseudonym: p.pseudonym,
    readings: p.readings as Reading[],
    sensorFault: p.sensorFault === true,
  };
}

export default function register(RED: RED): void {
  function ClassroomStatusNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    setup(this, def);
  }
  function setup(node: Node, def: NodeDef): void {
    const store = storeName(def.store);
    const t = thresholdsOf(String(def.preset || DEFAULT_CO2_PRESET.name), {
      orangePpm: num(def.orangePpm, NaN),
      redPpm: num(def.redPpm, NaN),
      hysteresisPpm: num(def.hysteresisPpm, NaN),
    });
    const rule = {
      abovePpm: num(def.alertPpm, CO2_LEGAL_LIMIT_PPM),
      forSeconds: num(def.alertMinutes, 10) * 60,
    };
    if (typeof t === "string") {
      node.status({ fill: "red", shape: "ring", text: short(t) });
      node.on("input", (msg, _send, done) => {
        node.error(new Error("liot-classroom-status: " + t), msg);
        done();
      });
      return;
    }
    node.status({});
    node.on("input", (msg, send, done) => {
      const input = readInput(msg);
      if (input === "status") return done();
      if (typeof input === "string") {
        node.status({ fill: "red", shape: "ring", text: short(input) });
        node.error(new Error("liot-classroom-status: " + input), msg);
        return done();
      }
      const key = "classroom:" + input.pseudonym;
      const memory =
        (node.context().get(key, store) as ClassroomMemory | undefined) ?? FRESH_MEMORY;
      const step = stepClassroom(
        input.pseudonym,
        memory,
        input.readings,
        input.sensorFault,
        t,
        rule,
      );
      node.context().set(key, step.memory, store);
      const signals: NodeMessage[] = step.signals.map((s) => ({
        topic: input.pseudonym,
        pseudonym: input.pseudonym,
        payload: s,
      }));
      const alerts: NodeMessage[] = step.alerts.map((a) => ({
        topic: a.type === "alert" ? "co2-alert" : "co2-cleared",
        pseudonym: input.pseudonym,
        payload: a,
      }));
      const last = step.signals[step.signals.length - 1];
      if (last) {
        const fill =
          last.signal === "none" ? "grey" : last.signal === "orange" ? "yellow" : last.signal;
        node.status({
          fill,
          shape: step.memory.alerting ? "ring" : "dot",
          text: (last.co2Ppm ?? "-") + " ppm" + (step.memory.alerting ? " !" : ""),
        });
      }
      send([signals.length ? signals : null, alerts.length ? alerts : null]);
      done();
    });
  }
  RED.nodes.registerType("liot-classroom-status", ClassroomStatusNode);
}

// liot-steps-summary: aggregates for an organisation (participants active, median steps per day).
// Individual values stay inside this node's context; only aggregates leave it.
import { aggregateDay } from "../core/aggregates.js";
import { num, short, storeName, type Node, type NodeDef, type RED } from "./red.js";

type Days = Record<string, Record<string, number>>;

export default function register(RED: RED): void {
  function StepsSummaryNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    setup(this, def);
  }
  function setup(node: Node, def: NodeDef): void {
    const store = storeName(def.store);
    const minGroup = Math.max(1, num(def.minGroup, 5));
    const keepDays = Math.max(1, num(def.keepDays, 14));
    node.on("input", (msg, send, done) => {
      const p = msg.payload as Record<string, unknown> | undefined;
      if (
        !p ||
        typeof p.pseudonym !== "string" ||
        typeof p.date !== "string" ||
        !/^\d{4}-\d{2}-\d{2}$/.test(p.date) ||
        !Number.isInteger(p.steps)
      ) {
        const text = "payload needs pseudonym, date and steps";
        node.status({ fill: "red", shape: "ring", text: short(text) });
        node.error(new Error("liot-steps-summary: " + text), msg);
        return done();
      }
      const days = (node.context().get("days", store) as Days | undefined) ?? {};
      const day = days[p.date] ?? {};
      day[p.pseudonym] = p.steps as number;
      days[p.date] = day;
      for (const d of Object.keys(days).sort().slice(0, -keepDays)) delete days[d];
      node.context().set("days", days, store);
      const agg = aggregateDay(p.date, day, minGroup);
      node.status({
        fill: "green",
        shape: "dot",
        text:
          agg.date +
          ": " +
          agg.participantsActive +
          (agg.medianSteps === null ? "" : " / " + agg.medianSteps),
      });
      send({ topic: "steps-summary", payload: agg });
      done();
    });
  }
  RED.nodes.registerType("liot-steps-summary", StepsSummaryNode);
}

// liot-steps-summary: aggregates for an organisation (participants active, median steps per day).
// Input: closed-day totals from liot-daily-steps (output 1), never live values. Individual values
// stay inside this node's context; only aggregates leave it, on a timer, at most once per day per
// date (see core/aggregates.ts for the rules).
import {
  duePublications,
  effectiveMinGroup,
  emptySummary,
  recordTotal,
  type SummaryOptions,
  type SummaryState,
} from "../core/aggregates.js";
import {
  num,
  short,
  storeName,
  type Node,
  type NodeDef,
  type NodeMessage,
  type RED,
} from "./red.js";

export default function register(RED: RED): void {
  function StepsSummaryNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    setup(this, def);
  }
  function setup(node: Node, def: NodeDef): void {
    const store = storeName(def.store);
    const opts: SummaryOptions = {
      minGroup: effectiveMinGroup(num(def.minGroup, 5)),
      holdSeconds: Math.max(0, num(def.holdMinutes, 60)) * 60,
      keepDays: Math.max(1, num(def.keepDays, 14)),
    };
    const ctx = node.context();
    const load = () => (ctx.get("summary", store) as SummaryState | undefined) ?? emptySummary();

    const publish = (send: (m: NodeMessage[]) => void) => {
      const s = load();
      const out = duePublications(s, Date.now() / 1000, opts);
      ctx.set("summary", s, store);
      if (!out.length) return;
      const last = out[out.length - 1]!;
      node.status({
        fill: "green",
        shape: "dot",
        text: last.date + ": " + (last.suppressed ? "-" : last.participantsActive),
      });
      send(out.map((a) => ({ topic: "steps-summary", payload: a })));
    };
    const tick = () => publish((m) => node.send([m]));
    const tickMs = Math.max(1, num(def.tickSeconds, 60)) * 1000;
    const timer = setInterval(tick, tickMs);
    const first = setTimeout(tick, 500);

    node.on("input", (msg, send, done) => {
      if (msg.topic === "tick") {
        publish((m) => send([m]));
        return done();
      }
      const p = msg.payload as Record<string, unknown> | undefined;
      if (
        !p ||
        typeof p.pseudonym !== "string" ||
        typeof p.date !== "string" ||
        !/^\d{4}-\d{2}-\d{2}$/.test(p.date) ||
        !Number.isInteger(p.steps) ||
        !Number.isInteger(p.revision) ||
        (p.revision as number) < 1
      ) {
        const text = "payload needs a day total (pseudonym, date, steps, revision)";
        node.status({ fill: "red", shape: "ring", text: short(text) });
        node.error(new Error("liot-steps-summary: " + text), msg);
        return done();
      }
      const s = load();
      recordTotal(
        s,
        {
          pseudonym: p.pseudonym,
          date: p.date,
          steps: p.steps as number,
          revision: p.revision as number,
        },
        Date.now() / 1000,
        opts.keepDays,
      );
      ctx.set("summary", s, store);
      // nothing is sent here: a publication on input would tie the change to this one report
      done();
    });
    node.on("close", (_removed, done) => {
      clearInterval(timer);
      clearTimeout(first);
      done();
    });
  }
  RED.nodes.registerType("liot-steps-summary", StepsSummaryNode);
}

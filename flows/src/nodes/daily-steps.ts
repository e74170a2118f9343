// liot-daily-steps: one day total per pseudonym and local day, kept in (persistent) context.
// Output 1: day totals of closed days, first (revision 1) and corrected (revision 2, 3, ...).
// Output 2: live changes of the current values (for aggregate views).
import {
  applyReport,
  closeDays,
  emptyParticipant,
  MIN_KEEP_DAYS,
  type BandReportIn,
  type DayTotal,
  type Options,
  type ParticipantState,
} from "../core/day-totals.js";
import {
  num,
  short,
  storeName,
  type Node,
  type NodeDef,
  type NodeMessage,
  type RED,
} from "./red.js";

const PREFIX = "participant_";

function readReport(msg: NodeMessage): BandReportIn | string {
  const p = msg.payload as Record<string, unknown> | undefined;
  if (!p || typeof p !== "object") return "payload must be a decoded band report";
  if (typeof p.pseudonym !== "string" || !/^[0-9a-f-]{36}$/.test(p.pseudonym))
    return "payload.pseudonym must be a UUID";
  if (typeof p.messageId !== "string" || p.messageId === "") return "payload.messageId missing";
  if (typeof p.receivedAt !== "number") return "payload.receivedAt missing";
  if (!Array.isArray(p.days) || p.days.length === 0) return "payload.days missing";
  for (const d of p.days as Record<string, unknown>[]) {
    if (!d || typeof d.date !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(d.date))
      return "every day needs a date YYYY-MM-DD";
    if (!Number.isInteger(d.steps) || (d.steps as number) < 0)
      return "steps must be a whole number >= 0";
  }
  return {
    pseudonym: p.pseudonym,
    messageId: p.messageId,
    receivedAt: p.receivedAt,
    counter: typeof p.counter === "number" ? p.counter : null,
    days: (p.days as { date: string; steps: number; final?: boolean }[]).map((d) => ({
      date: d.date,
      steps: d.steps,
      final: d.final === true,
    })),
  };
}

function totalMsg(t: DayTotal): NodeMessage {
  return { topic: t.pseudonym + "/" + t.date, payload: t };
}

export default function register(RED: RED): void {
  function DailyStepsNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    setup(this, def);
  }
  function setup(node: Node, def: NodeDef): void {
    const store = storeName(def.store);
    const opts: Options = {
      graceSeconds: num(def.graceMinutes, 60) * 60,
      keepDays: Math.max(MIN_KEEP_DAYS, num(def.keepDays, 40)),
      keepMessageIds: 500,
    };
    const ctx = node.context();
    let duplicates = 0;
    let ignoredDays = 0;

    const participants = () => ctx.keys(store).filter((k) => k.indexOf(PREFIX) === 0);
    const showStatus = () =>
      node.status({
        fill: "green",
        shape: "dot",
        text:
          participants().length +
          " p" +
          (duplicates ? ", " + duplicates + " dup" : "") +
          (ignoredDays ? ", " + ignoredDays + " ign" : ""),
      });

    const tick = () => {
      const out: NodeMessage[] = [];
      for (const key of participants()) {
        const s = ctx.get(key, store) as ParticipantState;
        const r = closeDays(key.substring(PREFIX.length), s, Date.now() / 1000, opts);
        if (r.totals.length) {
          ctx.set(key, r.state, store);
          for (const t of r.totals) out.push(totalMsg(t));
        }
      }
      if (out.length) node.send([out, null]);
    };
    const tickMs = Math.max(1, num(def.tickSeconds, 60)) * 1000;
    const timer = setInterval(tick, tickMs);
    const first = setTimeout(tick, 500);

    node.on("input", (msg, send, done) => {
      if (msg.topic === "tick") {
        tick();
        return done();
      }
      const report = readReport(msg);
      if (typeof report === "string") {
        node.status({ fill: "red", shape: "ring", text: short(report) });
        node.error(new Error("liot-daily-steps: " + report), msg);
        return done();
      }
      const key = PREFIX + report.pseudonym;
      const before = (ctx.get(key, store) as ParticipantState | undefined) ?? emptyParticipant();
      const r = applyReport(before, report, Date.now() / 1000, opts);
      if (r.duplicate) {
        duplicates++;
        showStatus();
        return done();
      }
      ctx.set(key, r.state, store);
      if (r.ignored.length) {
        ignoredDays += r.ignored.length;
        node.warn(
          "liot-daily-steps: ignored " +
            r.ignored.map((i) => i.date + " (" + i.reason + ")").join(", "),
        );
      }
      const live: NodeMessage[] = r.updates.map((u) => ({
        topic: u.pseudonym + "/" + u.date,
        payload: u,
      }));
      send([r.totals.length ? r.totals.map(totalMsg) : null, live.length ? live : null]);
      showStatus();
      done();
    });
    node.on("close", (_removed, done) => {
      clearInterval(timer);
      clearTimeout(first);
      done();
    });
  }
  RED.nodes.registerType("liot-daily-steps", DailyStepsNode);
}

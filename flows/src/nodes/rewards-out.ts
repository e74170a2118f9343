// liot-rewards-out: posts day totals to the rewards API with an idempotency key, retries with
// backoff, keeps its queue in (persistent) context, and reports refusals.
// Output 1: accepted totals. Output 2: refused totals (also raised as a catchable error).
import {
  DEFAULT_BACKOFF,
  afterAttempt,
  checkDayTotal,
  classify,
  enqueue,
  msUntilDue,
  nextDue,
  type Backoff,
  type DayTotalLike,
  type Outcome,
  type QueueItem,
} from "../core/rewards-queue.js";
import { num, short, storeName, type Node, type NodeDef, type RED } from "./red.js";

const QUEUE_KEY = "queue";

export default function register(RED: RED): void {
  function RewardsOutNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    setup(this, def);
  }
  function setup(node: Node, def: NodeDef): void {
    const store = storeName(def.store);
    const ctx = node.context();
    const url = String(def.url || process.env.LIOT_REWARDS_URL || "").trim();
    const backoff: Backoff = {
      baseMs: num(def.backoffSeconds, DEFAULT_BACKOFF.baseMs / 1000) * 1000,
      maxMs: num(def.maxBackoffSeconds, DEFAULT_BACKOFF.maxMs / 1000) * 1000,
    };
    const timeoutMs = num(def.timeoutSeconds, 10) * 1000;
    const token = node.credentials && node.credentials.token ? node.credentials.token : "";
    let timer: NodeJS.Timeout | null = null;
    let inFlight: Promise<void> | null = null;
    let closing = false;
    let lastRefusal: string | null = null;

    const queue = (): QueueItem[] => (ctx.get(QUEUE_KEY, store) as QueueItem[] | undefined) ?? [];
    const save = (q: QueueItem[]) => ctx.set(QUEUE_KEY, q, store);

    const showStatus = (text?: string, fill?: "green" | "yellow" | "red" | "blue") => {
      const q = queue();
      if (text) return node.status({ fill: fill ?? "blue", shape: "dot", text: short(text) });
      if (lastRefusal) return node.status({ fill: "red", shape: "ring", text: short(lastRefusal) });
      node.status({
        fill: q.length ? "yellow" : "green",
        shape: q.length ? "ring" : "dot",
        text: q.length + " queued",
      });
    };

    const schedule = () => {
      if (closing || inFlight) return;
      if (timer) clearTimeout(timer);
      timer = null;
      const wait = msUntilDue(queue(), Date.now());
      if (wait === null) return;
      timer = setTimeout(() => {
        timer = null;
        inFlight = attempt()
          .catch((e: unknown) => node.error(e))
          .finally(() => {
            inFlight = null;
            schedule();
          });
      }, wait);
    };

    async function post(item: QueueItem): Promise<Outcome> {
      const ac = new AbortController();
      const t = setTimeout(() => ac.abort(), timeoutMs);
      try {
        const headers: Record<string, string> = {
          "content-type": "application/json",
          "idempotency-key": item.key,
        };
        if (token) headers.authorization = "Bearer " + token;
        const res = await fetch(url, {
          method: "POST",
          headers,
          body: JSON.stringify(item.body),
          signal: ac.signal,
        });
        await res.arrayBuffer().catch(() => undefined);
        return classify(res.status, null, res.headers.get("retry-after"));
      } catch (e) {
        return classify(
          null,
          (e as Error).name === "AbortError" ? "timeout" : (e as Error).message,
        );
      } finally {
        clearTimeout(t);
      }
    }

    async function attempt(): Promise<void> {
      const item = nextDue(queue(), Date.now());
      if (!item) return;
      showStatus("sending " + item.date, "blue");
      const outcome = await post(item);
      save(afterAttempt(queue(), item.key, outcome, Date.now(), backoff, Math.random()));
      const msg = { topic: item.key, idempotencyKey: item.key, payload: item.body };
      if (outcome.kind === "accepted") {
        lastRefusal = null;
        node.send([msg, null]);
        showStatus();
      } else if (outcome.kind === "refused") {
        lastRefusal = "refused " + outcome.reason + " " + item.date;
        const refused = Object.assign({}, msg, { error: { reason: outcome.reason } });
        node.error(
          new Error(
            "liot-rewards-out: the rewards API refused " + item.key + ": " + outcome.reason,
          ),
          refused,
        );
        node.send([null, refused]);
        showStatus();
      } else {
        showStatus("retry " + item.date + ": " + outcome.reason, "yellow");
      }
    }

    if (!/^https?:\/\//.test(url)) {
      node.status({ fill: "red", shape: "ring", text: "no rewards API URL" });
    } else {
      showStatus();
      schedule();
    }

    node.on("input", (msg, _send, done) => {
      const err = checkDayTotal(msg.payload);
      if (err || !/^https?:\/\//.test(url)) {
        const text = err ?? "no rewards API URL configured";
        node.status({ fill: "red", shape: "ring", text: short(text) });
        node.error(new Error("liot-rewards-out: " + text), msg);
        return done();
      }
      save(enqueue(queue(), msg.payload as DayTotalLike, Date.now()));
      showStatus();
      schedule();
      done();
    });

    node.on("close", (_removed, done) => {
      closing = true;
      if (timer) clearTimeout(timer);
      const wait = inFlight ?? Promise.resolve();
      void wait.then(() => done());
    });
  }
  RED.nodes.registerType("liot-rewards-out", RewardsOutNode, {
    credentials: { token: { type: "password" } },
  });
}

// Each examples/*.json loads in the test helper with the mqtt and dashboard nodes replaced by
// helper nodes, and turns protocol vectors into the expected messages.
import { readFileSync, readdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  localDayIso,
  nextLevel,
  parseEnvelopeTopic,
  type SignalThresholds,
} from "@leiden-iot/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { thresholdsOf } from "../../src/core/co2-levels.js";
import { dayCloseTime } from "../../src/core/day-totals.js";
import { viewEnvelope } from "../../src/core/envelope-view.js";
import classroomStatus from "../../src/nodes/classroom-status.js";
import dailySteps from "../../src/nodes/daily-steps.js";
import decode from "../../src/nodes/decode.js";
import historyStore from "../../src/nodes/history-store.js";
import rewardsOut from "../../src/nodes/rewards-out.js";
import stepsSummary from "../../src/nodes/steps-summary.js";
import { buildExamples } from "../../scripts/examples.mjs";
import { asMqttMessage, classroomBatch, device } from "../support/fleet.js";
import { collect, helper, until } from "../support/red-helper.js";
import {
  startRecorder,
  startRewardsApi,
  type Recorder,
  type RewardsApi,
} from "../support/rewards-api.js";
import { bandVectors, classroomVectors, loraVectors } from "../support/vectors.js";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const examplesDir = resolve(here, "..", "..", "examples");
const core = (p: string) =>
  require(require.resolve("@node-red/nodes/package.json").replace("package.json", p));
const ourNodes = [decode, classroomStatus, dailySteps, rewardsOut, historyStore, stepsSummary];
const coreNodes = [core("core/function/10-function.js"), core("core/network/21-httprequest.js")];
const CONFIG_TYPES = ["mqtt-broker", "ui-base", "ui-page", "ui-group", "ui-theme", "tab"];

type FlowNode = Record<string, unknown> & { id: string; type: string; wires?: string[][] };
const load = (name: string): FlowNode[] =>
  JSON.parse(readFileSync(join(examplesDir, name), "utf8")) as FlowNode[];

/** mqtt in and ui-* widgets become helper nodes (keeping their wires); config nodes go. */
function testable(flow: FlowNode[]): FlowNode[] {
  return flow
    .filter((n) => CONFIG_TYPES.indexOf(n.type) < 0)
    .map((n) => {
      if (n.type === "mqtt in" || n.type.indexOf("ui-") === 0 || n.type === "debug")
        return { id: n.id, type: "helper", wires: n.type === "mqtt in" ? n.wires : [] };
      const copy = Object.assign({}, n);
      delete copy.z;
      delete copy.x;
      delete copy.y;
      return copy;
    });
}

function inject(
  id: string,
  m: {
    topic: string;
    payload: Buffer;
    contentType: string;
    userProperties: Record<string, string>;
  },
) {
  (helper.getNode(id) as unknown as { send(msg: unknown): void }).send({ ...m });
}

const userDir = mkdtempSync(join(tmpdir(), "liot-examples-"));
let api: RewardsApi;
let webhook: Recorder;
beforeAll(async () => {
  api = await startRewardsApi();
  webhook = await startRecorder();
  process.env.LIOT_REWARDS_URL = api.url;
  process.env.LIOT_ALERT_WEBHOOK_URL = webhook.url;
  helper.settings({ userDir });
});
afterEach(() => helper.unload());
afterAll(async () => {
  delete process.env.LIOT_REWARDS_URL;
  delete process.env.LIOT_ALERT_WEBHOOK_URL;
  await api.close();
  await webhook.close();
  rmSync(userDir, { recursive: true, force: true });
});

describe("example flows", () => {
  it("the committed examples are what scripts/examples.mjs generates", () => {
    const built = buildExamples();
    expect(readdirSync(examplesDir).sort()).toEqual(Object.keys(built).sort());
    for (const [name, flow] of Object.entries(built)) expect(load(name)).toEqual(flow);
  });

  it("classroom dashboard: vectors become a board with every classroom and its signal", async () => {
    const all = classroomVectors.concat(
      loraVectors.filter((v) => parseEnvelopeTopic(v.topic)?.kind === "classroom_reading"),
    );
    // The vectors carry fixed dates; the history store keeps the last 24 h from its clock. Run the
    // flow with its clock a minute after the newest reading, so the test holds on any date.
    const newestTime = Math.max(
      ...all.map((v) => {
        const r = viewEnvelope(v, v.userProperties.rt ? Number(v.userProperties.rt) : 0);
        if (!r.ok || r.value.kind === "band_report") throw new Error("vector does not decode");
        return Math.max(...r.value.classroom.readings.map((x) => x.time));
      }),
    );
    const realNow = Date.now.bind(Date);
    const offsetMs = (newestTime + 60) * 1000 - realNow();
    const clock = vi.spyOn(Date, "now").mockImplementation(() => realNow() + offsetMs);
    onTestFinished(() => clock.mockRestore());
    await helper.load([...ourNodes, ...coreNodes], testable(load("classroom-dashboard.json")));
    const board = collect("liot-cl-board");
    for (const v of all) inject("liot-cl-mqtt", v);
    const last = () =>
      board[board.length - 1]?.payload as
        { classrooms: { pseudonym: string; signal: string; co2Ppm: number }[] } | undefined;
    const pseudonyms = Array.from(new Set(all.map((v) => v.pseudonym)));
    await until(
      () => (last()?.classrooms.length ?? 0) === pseudonyms.length,
      5000,
      "a board with every classroom",
    );
    // the newest reading of each classroom decides its light (hysteresis may keep it one level up)
    const newest = new Map<string, { time: number; co2: number }>();
    for (const v of all) {
      const r = viewEnvelope(v, v.userProperties.rt ? Number(v.userProperties.rt) : 0);
      if (!r.ok || r.value.kind === "band_report") throw new Error("vector does not decode");
      for (const x of r.value.classroom.readings) {
        const seen = newest.get(v.pseudonym);
        if (x.co2Ppm !== null && (!seen || x.time > seen.time))
          newest.set(v.pseudonym, { time: x.time, co2: x.co2Ppm });
      }
    }
    const order = ["green", "orange", "red"];
    for (const c of last()!.classrooms) {
      const n = newest.get(c.pseudonym)!;
      expect(c.co2Ppm).toBe(n.co2);
      const raw = order.indexOf(
        nextLevel(null, n.co2, thresholdsOf("bouwbesluit") as SignalThresholds),
      );
      expect([order[raw], order[raw + 1]]).toContain(c.signal);
    }
  });

  it("classroom dashboard: ten minutes above 1200 ppm raise the 'ventilate now' banner", async () => {
    await helper.load([...ourNodes, ...coreNodes], testable(load("classroom-dashboard.json")));
    const board = collect("liot-cl-board");
    const d = device(100042);
    inject(
      "liot-cl-mqtt",
      asMqttMessage(
        classroomBatch(
          "leiden/demo",
          d,
          [1300, 1320, 1340, 1360, 1380, 1400, 1420, 1440, 1460, 1480, 1500],
          60,
          Date.now() / 1000,
        ),
      ),
    );
    type Board = { classrooms: { alerting: boolean; co2Ppm: number; advice: { nl: string } }[] };
    const alerting = () =>
      board.some((m) => (m.payload as Board).classrooms.some((c) => c.alerting));
    await until(alerting, 5000, "a classroom with the alert on the board");
    const last = board[board.length - 1]!.payload as Board;
    expect(last.classrooms[0]).toMatchObject({ alerting: true, co2Ppm: 1500 });
    expect(last.classrooms[0]!.advice.nl).toMatch(/Ventileer nu/);
  });

  it("CO2 alert webhook: an alert is posted as JSON to the configured webhook", async () => {
    await helper.load([...ourNodes, ...coreNodes], testable(load("co2-alert-webhook.json")));
    const d = device(100043);
    inject(
      "liot-al-mqtt",
      asMqttMessage(
        classroomBatch(
          "leiden/demo",
          d,
          [1250, 1300, 1300, 1300, 1300, 1300, 1300, 1300, 1300, 1300, 1300],
          60,
          Date.now() / 1000,
        ),
      ),
    );
    await until(() => webhook.bodies.length === 1, 5000, "the webhook call");
    expect(webhook.bodies[0]).toMatchObject({
      type: "alert",
      classroom: d.pseudonym,
      co2Ppm: 1300,
      text: { nl: expect.stringMatching(/Ventileer nu/) },
    });
  });

  it("steps to rewards: closed and backlog days of the vectors reach the API once; the organisation sees aggregates only", async () => {
    // the vectors have fixed dates, some of them months old: keep every day of them (daily steps
    // and the summary ignore days older than keepDays, counted back from today)
    const flow = testable(load("steps-to-rewards.json")).map((n) =>
      n.type === "liot-daily-steps" || n.type === "liot-steps-summary"
        ? { ...n, keepDays: "100000", holdMinutes: "0" }
        : n,
    );
    await helper.load([...ourNodes, ...coreNodes], flow);
    const org = collect("liot-st-org");
    for (const v of bandVectors) inject("liot-st-mqtt", v);
    const finals = new Map<string, number>();
    for (const v of bandVectors) {
      const b = v.decoded.backlog as { daysAgo: number; steps: number } | null;
      if (b) finals.set(localDayIso((v.decoded.day as number) - b.daysAgo), b.steps);
    }
    await until(() => api.accepted.size >= finals.size, 5000, "the backlog days at the API");
    await new Promise((r) => setTimeout(r, 300));
    const bodies = Array.from(api.accepted.values()) as {
      date: string;
      steps: number;
      revision: number;
      final: boolean;
    }[];
    for (const [date, steps] of finals)
      expect(bodies.filter((b) => b.date === date)).toEqual([
        expect.objectContaining({ steps, revision: 1, final: true }),
      ]);
    // anything else sent is a day that is over (local midnight + the flow's 60 minutes)
    for (const b of bodies)
      if (!finals.has(b.date))
        expect(dayCloseTime(b.date, 3600)!).toBeLessThanOrEqual(Date.now() / 1000);
    expect(api.calls.filter((c) => c.status !== 201)).toEqual([]);
    // the summary publishes on its timer, never on a day total
    helper.getNode("liot-st-summary").receive({ topic: "tick" });
    await until(() => org.length > 0, 5000, "the organisation view");
    // one participant: only "too few participants" per closed day, no count and no median
    for (const m of org) {
      expect(Object.keys(m.payload as object).sort()).toEqual(["date", "suppressed"]);
      expect((m.payload as { suppressed: boolean }).suppressed).toBe(true);
      expect(JSON.stringify(m.payload)).not.toContain(bandVectors[0]!.pseudonym);
    }
  });
});

// End to end: real Node-RED (committed settings.js, example flows deployed) + real Mosquitto + a
// simulated fleet publishing real envelopes + a local rewards API and alert webhook + headless
// Chromium on the dashboard. Node-RED is restarted in the middle: nothing may be lost.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { localDay, localDayIso, localDayStart } from "@leiden-iot/protocol";
import Database from "better-sqlite3";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ensureBuilt,
  startNodeRed,
  type RunningNodeRed,
  type StartOptions,
} from "../../scripts/start-node-red.mjs";
import { launchChromium } from "../../../test/support/chromium.js";
import {
  disposeMosquitto,
  freePort,
  startMosquitto,
  type Mosquitto,
} from "../../../test/support/mosquitto.js";
import {
  bandReport,
  classroomAdvert,
  classroomBatch,
  device,
  publishAll,
} from "../support/fleet.js";
import { until } from "../support/red-helper.js";
import {
  startRecorder,
  startRewardsApi,
  type Recorder,
  type RewardsApi,
} from "../support/rewards-api.js";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, "..", "..");
const artifacts = resolve(pkg, "..", ".artifacts");
const PREFIX = "leiden/e2e";

let broker: Mosquitto;
let api: RewardsApi;
let webhook: Recorder;
let nr: RunningNodeRed | null = null;
let browser: Browser | null = null;
let userDir: string;
let startOpts: StartOptions;
let log = "";

beforeAll(async () => {
  ensureBuilt();
  broker = await startMosquitto();
  api = await startRewardsApi();
  webhook = await startRecorder();
  userDir = mkdtempSync(join(tmpdir(), "liot-node-red-"));
  startOpts = {
    port: await freePort(),
    brokerUrl: broker.url,
    prefix: PREFIX,
    userDir,
    clientId: "liot-e2e-" + process.pid,
    rewardsUrl: api.url,
    webhookUrl: webhook.url,
    resetFlows: true,
    env: { LIOT_CONTEXT_FLUSH_S: "1" },
    log: (s) => (log += s),
    patchFlows: (flows) => {
      for (const n of flows) if (n.type === "liot-rewards-out") n.maxBackoffSeconds = "1";
    },
  };
  nr = await startNodeRed(startOpts);
}, 90_000);

afterAll(async () => {
  if (browser) await browser.close();
  if (nr) await nr.stop();
  await api.close();
  await webhook.close();
  await disposeMosquitto(broker);
  rmSync(userDir, { recursive: true, force: true });
});

const now = () => Date.now() / 1000;
const today = localDay(now());
const at = (day: number, hour: number) => localDayStart(day) + hour * 3600;
const bands = [device(11), device(12), device(13)];
const rooms = [device(100001), device(100002), device(100003)];
const key = (p: string, day: number, r: number) => p + ":" + localDayIso(day) + ":r" + r;
/** CO2 over a school day: low at night, rising during each lesson, aired in the breaks. */
function schoolDay(last: number, n: number, interval: number, factor: number): number[] {
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const ts = last - i * interval;
    const h = (((ts + 3600) % 86400) / 3600 + 24) % 24;
    const inLesson = h >= 8.5 && h < 15;
    const ppm = inLesson ? 600 + (500 * ((h - 8.5) % 1.5)) / 1.5 : 430;
    out.push(Math.min(1150, Math.round(ppm * factor)));
  }
  return out;
}
/**
 * The rewards-out node's queue as Node-RED's file context store last wrote it (flushed every
 * LIOT_CONTEXT_FLUSH_S = 1 s), or undefined before the first write.
 */
function rewardsQueue(): unknown[] | undefined {
  const flows = JSON.parse(readFileSync(join(userDir, "flows.json"), "utf8")) as {
    id: string;
    type: string;
    z?: string;
  }[];
  const node = flows.find((n) => n.type === "liot-rewards-out")!;
  const file = join(userDir, "context", node.z!, node.id + ".json");
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { queue?: unknown[] }).queue;
  } catch {
    return undefined; // caught mid-write
  }
}
/** Whether the history store's SQLite file holds a reading from `since` on for each pseudonym. */
function historyHas(pseudonyms: string[], since: number): boolean {
  const file = join(userDir, "leiden-history.sqlite");
  if (!existsSync(file)) return false;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare(
      "SELECT pseudonym FROM classroom_reading WHERE pseudonym = ? AND time >= ?",
    );
    return pseudonyms.every((p) => row.get(p, since) !== undefined);
  } finally {
    db.close();
  }
}
const accepted = () => api.calls.filter((c) => c.status === 201).map((c) => c.key);

describe("fleet -> Node-RED -> rewards API and dashboard", () => {
  it("sends one total per participant and day, re-sends a correction once, and loses nothing across a restart", async () => {
    const d3 = today - 3;
    const d2 = today - 2;
    // Day d3 reported in the evening: the day is over, so each participant's total goes out once.
    const first = bands.map((b, i) => bandReport(PREFIX, b, d3, 4000 + i, at(d3, 20)));
    await publishAll(broker.url, [...first, first[0]!]); // the duplicate is ignored
    await until(() => accepted().length === 3, 15000, "three first totals");
    expect(accepted().sort()).toEqual(bands.map((b) => key(b.pseudonym, d3, 1)).sort());

    // The API goes down; bands A and B report day d2 with d3 from their backlog (more steps).
    api.always = 503;
    const corrections = bands.map((b, i) =>
      bandReport(PREFIX, b, d2, 6000 + i, at(d2, 21), { daysAgo: 1, steps: 4500 + i }),
    );
    await publishAll(broker.url, corrections.slice(0, 2));
    await until(
      () => api.calls.filter((c) => c.status === 503).length >= 2,
      15000,
      "calls while the API is down",
    );

    // Node-RED stops with totals queued; band C's correction and a duplicate of B arrive meanwhile.
    await nr!.stop();
    nr = null;
    await publishAll(broker.url, [corrections[2]!, corrections[1]!]);
    api.always = null;
    nr = await startNodeRed({ ...startOpts, resetFlows: false });

    const want = bands.flatMap((b) => [
      key(b.pseudonym, d3, 1),
      key(b.pseudonym, d3, 2),
      key(b.pseudonym, d2, 1),
    ]);
    // Node-RED's restart, its MQTT session resuming and the queue's first try: 60 s on a loaded
    // 2-core machine (a wait for completeness, not a speed figure)
    await until(() => accepted().length >= want.length, 60000, "all totals after the restart");
    // anything extra would still be in the node's queue: wait until the queue it keeps in its
    // persistent context is written back empty, then nothing more can be sent
    await until(() => rewardsQueue()?.length === 0, 15000, "the rewards queue to drain");
    expect(accepted().sort()).toEqual(want.sort());
    expect(api.calls.filter((c) => c.status === 409)).toEqual([]);
    bands.forEach((b, i) => {
      expect(api.accepted.get(key(b.pseudonym, d3, 2))).toEqual({
        pseudonym: b.pseudonym,
        date: localDayIso(d3),
        steps: 4500 + i,
        revision: 2,
        final: true,
      });
      expect(api.accepted.get(key(b.pseudonym, d2, 1))!.steps).toBe(6000 + i);
    });
  }, 150_000);

  it("alerts the webhook when a classroom stays above 1200 ppm for 10 minutes", async () => {
    const t = now();
    // The last 24 hours first (LoRa batches, every 30 minutes), below the alert value.
    await publishAll(
      broker.url,
      rooms.map((r, i) =>
        classroomBatch(
          PREFIX,
          r,
          schoolDay(t - 1800, 47, 1800, [0.8, 0.95, 1][i]!),
          1800,
          t - 1800,
        ),
      ),
    );
    await publishAll(broker.url, [
      classroomBatch(
        PREFIX,
        rooms[2]!,
        [1300, 1350, 1400, 1420, 1450, 1460, 1470, 1480, 1490, 1500, 1500, 1510],
        60,
        t,
      ),
    ]);
    await until(() => webhook.bodies.some((b) => b.type === "alert"), 15000, "the alert webhook");
    expect(webhook.bodies.find((b) => b.type === "alert")).toMatchObject({
      type: "alert",
      classroom: rooms[2]!.pseudonym,
      co2Ppm: 1500,
    });
  }, 30_000);

  it("shows every classroom with its current signal on the dashboard, also after a restart", async () => {
    const t = now();
    await publishAll(broker.url, [
      classroomAdvert(PREFIX, rooms[0]!, 620, t),
      classroomAdvert(PREFIX, rooms[1]!, 1080, t),
    ]);
    const expected: Record<string, string> = {
      [rooms[0]!.pseudonym]: "green",
      [rooms[1]!.pseudonym]: "orange",
      [rooms[2]!.pseudonym]: "red",
    };
    // Restart first: the board must come back from the SQLite history alone, so wait until the
    // history file holds both adverts.
    await until(
      () => historyHas([rooms[0]!.pseudonym, rooms[1]!.pseudonym], t - 1),
      15000,
      "both adverts in the history file",
    );
    await nr!.stop();
    nr = await startNodeRed({ ...startOpts, resetFlows: false });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(nr.dashboardUrl);
    // the page runs on the servers' clock (also under libfaketime), so "now" means the same day
    expect(Math.abs((await page.evaluate(() => Date.now())) - Date.now())).toBeLessThan(60_000);
    for (const [p, signal] of Object.entries(expected)) {
      const card = page.locator(`[data-testid="room-${p}"]`);
      await card.waitFor({ timeout: 20000 });
      expect(await card.getAttribute("data-signal")).toBe(signal);
      // the classroom that stayed above 1200 ppm shows "ventilate now"; the others do not
      expect(await card.getAttribute("data-alert")).toBe(signal === "red" ? "true" : "false");
    }
    await expect(page.locator("h1").first().textContent()).resolves.toContain("Frisse lucht");
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, "dashboard.png"), fullPage: true });
    await page.locator('[data-testid="lang-en"]').click();
    await expect(page.locator("h1").first().textContent()).resolves.toContain("Fresh air");
    await page.screenshot({ path: join(artifacts, "dashboard-en.png"), fullPage: true });
    if (process.env.LIOT_UPDATE_SCREENSHOT === "1")
      copyFileSync(join(artifacts, "dashboard.png"), join(pkg, "docs", "dashboard.png"));
  }, 90_000);
});

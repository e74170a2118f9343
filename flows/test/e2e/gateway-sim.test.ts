// End to end with the real gateway: `leiden-gateway simulate` (signed adverts from keys derived
// from a generated master key, authenticated, deduplicated, outboxed and published by the gateway)
// -> Mosquitto -> Node-RED with the example flows -> the dashboard in headless Chromium.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../../test/support/chromium.js";
import {
  disposeMosquitto,
  freePort,
  startMosquitto,
  type Mosquitto,
} from "../../../test/support/mosquitto.js";
import { startNodeRed, type RunningNodeRed } from "../../scripts/start-node-red.mjs";
import { startRewardsApi, type RewardsApi } from "../support/rewards-api.js";

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = resolve(here, "..", "..", "..", ".artifacts");
const PREFIX = "leiden/sim";
const CLASSROOMS = 4;

let broker: Mosquitto;
let api: RewardsApi;
let nr: RunningNodeRed;
let gw: ChildProcess | null = null;
let gwLog = "";
let browser: Browser | null = null;
const dirs: string[] = [];

beforeAll(async () => {
  broker = await startMosquitto();
  api = await startRewardsApi();
  const userDir = mkdtempSync(join(tmpdir(), "liot-node-red-sim-"));
  const stateDir = mkdtempSync(join(tmpdir(), "liot-gateway-sim-"));
  dirs.push(userDir, stateDir);
  nr = await startNodeRed({
    port: await freePort(),
    brokerUrl: broker.url,
    prefix: PREFIX,
    userDir,
    clientId: "liot-e2e-sim-" + process.pid,
    rewardsUrl: api.url,
    resetFlows: true,
  });
  const gatewayDir = resolve(here, "..", "..", "..", "gateway");
  const cli = ["--conditions=source", "--import", "tsx", "src/cli/main.ts"];
  const init = spawnSync(
    process.execPath,
    [...cli, "keys", "init", "--registry", join(stateDir, "registry.yaml")],
    {
      cwd: gatewayDir,
      env: { ...process.env, LIOT_STATE_DIR: stateDir },
      encoding: "utf8",
    },
  );
  if (init.status !== 0) throw new Error("gateway keys init failed: " + init.stderr + init.stdout);
  gw = spawn(
    process.execPath,
    [
      "--conditions=source",
      "--import",
      "tsx",
      "src/cli/main.ts",
      "simulate",
      "--bands",
      "6",
      "--classrooms",
      String(CLASSROOMS),
      "--rate",
      "20",
    ],
    {
      cwd: gatewayDir,
      env: {
        ...process.env,
        LIOT_BROKER_URL: broker.url,
        LIOT_TOPIC_PREFIX: PREFIX,
        LIOT_STATE_DIR: stateDir,
        LIOT_GATEWAY_ID: "gw-e2e",
        LIOT_LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  gw.stdout!.on("data", (d: Buffer) => (gwLog += d.toString()));
  gw.stderr!.on("data", (d: Buffer) => (gwLog = (gwLog + d.toString()).slice(-4000)));
}, 90_000);

afterAll(async () => {
  if (browser) await browser.close();
  if (gw && gw.exitCode === null) {
    const g = gw;
    await new Promise<void>((done) => {
      const t = setTimeout(() => g.kill("SIGKILL"), 5000);
      g.once("exit", () => {
        clearTimeout(t);
        done();
      });
      g.kill("SIGINT");
    });
  }
  await nr.stop();
  await api.close();
  await disposeMosquitto(broker);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("gateway simulate -> Node-RED -> dashboard", () => {
  it("shows every simulated classroom with a signal", async () => {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    await page.goto(nr.dashboardUrl);
    const cards = page.locator('[data-testid^="room-"]');
    try {
      await expect
        .poll(() => cards.count(), {
          timeout: 30000,
          interval: 500,
          message: "gateway said: " + gwLog.slice(-500),
        })
        .toBe(CLASSROOMS);
    } catch (e) {
      throw new Error((e as Error).message + "\ngateway said: " + gwLog.slice(-800));
    }
    const signals = await cards.evaluateAll((els) => els.map((e) => e.getAttribute("data-signal")));
    for (const s of signals) expect(["green", "orange", "red", "none"]).toContain(s);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, "dashboard-gateway-sim.png"), fullPage: true });
    // the simulated bands only report today: the organisation view aggregates closed days only,
    // so it shows nothing of the open day (no live figures), and never a pseudonym
    await page.goto(nr.organisationUrl);
    await page.locator('[data-testid="organisation-view"]').waitFor({ timeout: 30000 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await page.locator('[data-testid="org-active"]').count()).toBe(0);
    expect(await page.locator('[data-testid="org-median"]').count()).toBe(0);
    expect(await page.content()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-/);
  }, 60_000);
});

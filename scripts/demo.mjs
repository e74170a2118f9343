#!/usr/bin/env node
// `npm start`: the whole demo on a fresh clone. The gateway (embedded broker unless one already
// answers on 1883, simulated fleet of 20 bands and 5 classrooms, metrics) and Node-RED with the
// example flows: the teacher dashboard, CO2 alerts and daily step totals to a stand-in rewards API.
// The fleet is held until Node-RED listens, then sends 8 hours of classroom history, and goes
// live: one classroom is in a long lesson (the 10-minute "ventileer nu" rule fires ~20 s later),
// the bands carry a week of earlier days in their backlog (the organisation view's aggregates).
//   env: LIOT_BROKER_URL (mqtt://127.0.0.1:1883), LIOT_TOPIC_PREFIX (leiden/demo),
//        LIOT_NODE_RED_PORT (1880), LIOT_NODE_RED_USER_DIR (flows/.node-red-demo, reset at every
//        start), LIOT_METRICS_PORT, LIOT_STATE_DIR, LIOT_REWARDS_URL,
//        LIOT_DEMO_NODE_RED_LOG=1 (show Node-RED's log)
//   flag: --no-dashboard  (gateway only)
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { demoNamesTable, patchDemoFlows } from "./demo-flows.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const brokerUrl = process.env.LIOT_BROKER_URL ?? "mqtt://127.0.0.1:1883";
const prefix = process.env.LIOT_TOPIC_PREFIX ?? "leiden/demo";
const withDashboard = process.argv.indexOf("--no-dashboard") < 0;
const say = (s) => process.stdout.write(s + "\n");
const startedAt = Date.now();
const since = () => ((Date.now() - startedAt) / 1000).toFixed(0) + " s";

function reachable(url, timeoutMs) {
  const u = new URL(url);
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const attempt = () => {
      const s = connect(Number(u.port || 1883), u.hostname);
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => {
        s.destroy();
        if (Date.now() > deadline) resolve(false);
        else setTimeout(attempt, 250);
      });
    };
    attempt();
  });
}

// Variables only Node-RED reads stay out of the gateway's environment (it checks LIOT_* names).
const FLOWS_ONLY = [
  "LIOT_NODE_RED_PORT",
  "LIOT_NODE_RED_HOST",
  "LIOT_NODE_RED_USER_DIR",
  "LIOT_NODE_RED_LOG",
  "LIOT_REWARDS_URL",
  "LIOT_ALERT_WEBHOOK_URL",
  "LIOT_HISTORY_FILE",
  "LIOT_CLASSROOM_NAMES",
  "LIOT_CONTEXT_FLUSH_S",
  "LIOT_CREDENTIAL_SECRET",
];
const gatewayEnv = { ...process.env, LIOT_TOPIC_PREFIX: prefix, LIOT_BROKER_URL: brokerUrl };
for (const k of FLOWS_ONLY) delete gatewayEnv[k];

// nothing answering now means the gateway starts its embedded broker (MQTT 3.1.1 only)
const embeddedBroker = !(await reachable(brokerUrl, 0));
const gatewayArgs = ["--conditions=source", "--import", "tsx", "gateway/src/cli/demo.ts"];
// the IPC channel carries one message: "sim:release" (go live) once Node-RED is subscribed
const gateway = spawn(
  process.execPath,
  gatewayArgs.concat(process.argv.slice(2).filter((a) => a !== "--no-dashboard")),
  { cwd: root, stdio: ["inherit", "inherit", "inherit", "ipc"], env: gatewayEnv },
);
let released = false;
const release = (why) => {
  if (released || gateway.exitCode !== null || !gateway.connected) return;
  released = true;
  gateway.send("sim:release");
  say(`[${since()}] simulated fleet live (${why}): 8 h of classroom history, then live adverts`);
};
let nodeRed = null;
let rewardsApi = null;
let stopping = false;
const shutdown = async (code) => {
  if (stopping) return;
  stopping = true;
  if (nodeRed) await nodeRed.stop().catch(() => undefined);
  if (rewardsApi) await rewardsApi.close();
  if (gateway.exitCode === null) gateway.kill("SIGINT");
  process.exitCode = code;
};
gateway.on("exit", (code) => {
  if (!stopping) {
    say(`\nThe gateway stopped (exit ${code}); stopping the dashboard too.`);
    void shutdown(code ?? 1);
  }
});
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

/** A fresh Node-RED user dir for the demo (unless the user chose one), with the names table. */
function demoUserDir() {
  const chosen = process.env.LIOT_NODE_RED_USER_DIR;
  const dir = chosen ?? join(root, "flows", ".node-red-demo");
  if (!chosen) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

let settle = null;
async function startDashboard() {
  const userDir = demoUserDir();
  const names = await demoNamesTable(root, process.env).catch((e) => {
    say(`(classroom names: ${e.message}; the dashboard shows pseudonym fragments)`);
    return null;
  });
  if (names) writeFileSync(join(userDir, "names.yaml"), names);
  const flows = await import("../flows/scripts/start-node-red.mjs");
  rewardsApi = process.env.LIOT_REWARDS_URL
    ? null
    : await flows.startDemoRewardsApi(0, () => undefined);
  nodeRed = await flows.startNodeRed({
    brokerUrl,
    prefix,
    userDir,
    rewardsUrl: rewardsApi ? rewardsApi.url : undefined,
    resetFlows: true,
    patchFlows: (flows) => patchDemoFlows(flows, { embeddedBroker }),
    // go live once Node-RED's MQTT client has stayed connected for 2 s (its subscriptions
    // follow the connect at once; the first connection is sometimes dropped and made again)
    log: (s) => {
      if (process.env.LIOT_DEMO_NODE_RED_LOG) process.stdout.write(s);
      if (/Disconnected from broker|Connection failed to broker/.test(s)) clearTimeout(settle);
      if (/Connected to broker/.test(s)) {
        clearTimeout(settle);
        settle = setTimeout(() => release("Node-RED subscribed"), 2000);
      }
    },
  });
  setTimeout(() => release("Node-RED started, not yet connected"), 20000).unref();
  say("");
  say(`  dashboard  ${nodeRed.dashboardUrl}   (teachers: every classroom's traffic light)`);
  say(`  aggregates ${nodeRed.organisationUrl}   (organisations: participants and median steps)`);
  say(`  Node-RED   ${nodeRed.editorUrl}`);
  say(
    `  rewards    ${rewardsApi ? rewardsApi.url + " (stand-in API; set LIOT_REWARDS_URL)" : process.env.LIOT_REWARDS_URL}`,
  );
  say("");
  say("  What appears when (counted from the moment the fleet goes live, printed below):");
  say("    at once    five classrooms with their light and 8 hours of CO2 in the 24-hour chart");
  say("    ~20 s      Lokaal 2.12 (long lesson, above 1200 ppm for 10 min): red 'Ventileer nu!'");
  say("               banner; it clears ~11 minutes later when the windows are opened");
  say("    ~30 s      organisation view: participants and median steps of the last 7 days");
  say("               (from the bands' backlog; demo hold time 15 s instead of 60 min)");
  say("    live       CO2 rises and falls in 50-minute lessons; today's steps count up");
  say("");
}

if (!withDashboard) {
  setTimeout(() => release("no dashboard"), 500);
} else if (!(await reachable(brokerUrl, 30000))) {
  say(`No MQTT broker answered on ${brokerUrl} within 30 s; the dashboard is not started.`);
  say("Check the gateway output above (set LIOT_BROKER_URL to use another broker).");
  release("no dashboard");
} else if (!stopping) {
  say("Starting Node-RED with the example flows (first start builds the nodes, ~20 s) ...");
  try {
    await startDashboard();
  } catch (e) {
    say(`Node-RED did not start: ${e.message.split("\n")[0]}`);
    say("If port 1880 is taken, set LIOT_NODE_RED_PORT; the gateway keeps running.");
    release("no dashboard");
  }
}

#!/usr/bin/env node
// `npm start`: the whole demo on a fresh clone. The gateway (embedded broker unless one already
// answers on 1883, simulated fleet of 20 bands and 5 classrooms, metrics) and Node-RED with the
// example flows: the teacher dashboard, CO2 alerts and daily step totals to a stand-in rewards API.
//   env: LIOT_BROKER_URL (mqtt://127.0.0.1:1883), LIOT_TOPIC_PREFIX (leiden/demo),
//        LIOT_NODE_RED_PORT (1880), LIOT_METRICS_PORT, LIOT_REWARDS_URL
//   flag: --no-dashboard  (gateway only)
import { spawn } from "node:child_process";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const brokerUrl = process.env.LIOT_BROKER_URL ?? "mqtt://127.0.0.1:1883";
const prefix = process.env.LIOT_TOPIC_PREFIX ?? "leiden/demo";
const withDashboard = process.argv.indexOf("--no-dashboard") < 0;
const say = (s) => process.stdout.write(s + "\n");

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

const gatewayArgs = ["--conditions=source", "--import", "tsx", "gateway/src/cli/demo.ts"];
const gateway = spawn(
  process.execPath,
  gatewayArgs.concat(process.argv.slice(2).filter((a) => a !== "--no-dashboard")),
  {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, LIOT_TOPIC_PREFIX: prefix, LIOT_BROKER_URL: brokerUrl },
  },
);
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

if (withDashboard) {
  if (!(await reachable(brokerUrl, 30000))) {
    say(`No MQTT broker answered on ${brokerUrl} within 30 s; the dashboard is not started.`);
    say("Check the gateway output above (set LIOT_BROKER_URL to use another broker).");
  } else if (!stopping) {
    say("Starting Node-RED with the example flows (first start builds the nodes, ~20 s) ...");
    try {
      const flows = await import("../flows/scripts/start-node-red.mjs");
      rewardsApi = process.env.LIOT_REWARDS_URL
        ? null
        : await flows.startDemoRewardsApi(0, () => undefined);
      nodeRed = await flows.startNodeRed({
        brokerUrl,
        prefix,
        rewardsUrl: rewardsApi ? rewardsApi.url : undefined,
        resetFlows: true,
      });
      say("");
      say(`  dashboard  ${nodeRed.dashboardUrl}   (teachers: every classroom's traffic light)`);
      say(
        `  aggregates ${nodeRed.organisationUrl}   (organisations: participants and median steps)`,
      );
      say(`  Node-RED   ${nodeRed.editorUrl}`);
      say(
        `  rewards    ${rewardsApi ? rewardsApi.url + " (stand-in API; set LIOT_REWARDS_URL)" : process.env.LIOT_REWARDS_URL}`,
      );
      say("");
    } catch (e) {
      say(`Node-RED did not start: ${e.message.split("\n")[0]}`);
      say("If port 1880 is taken, set LIOT_NODE_RED_PORT; the gateway keeps running.");
    }
  }
}

// Starts Node-RED with the committed settings.js, this package's nodes and the example flows
// deployed, against an MQTT broker. `npm run flows` runs it; the root demo imports startNodeRed().
//   env: LIOT_BROKER_URL (mqtt://127.0.0.1:1883), LIOT_TOPIC_PREFIX (leiden/demo),
//        LIOT_NODE_RED_PORT (1880), LIOT_REWARDS_URL, LIOT_ALERT_WEBHOOK_URL
//   flags: --reset (deploy the example flows again over the user dir's flows.json)
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_PREFIX, buildExamples } from "./examples.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, "..");
const require = createRequire(import.meta.url);

/** The example flows merged into one deployable flow, pointed at a broker and topic prefix. */
export function deployableFlows({ brokerUrl, prefix, clientId }) {
  const u = new URL(brokerUrl);
  const byId = new Map();
  for (const flow of Object.values(buildExamples()))
    for (const n of flow) byId.set(n.id, JSON.parse(JSON.stringify(n)));
  const out = Array.from(byId.values());
  for (const n of out) {
    if (n.type === "mqtt-broker") {
      n.broker = u.hostname;
      n.port = u.port || (u.protocol === "mqtts:" ? "8883" : "1883");
      n.usetls = u.protocol === "mqtts:";
      n.clientid = clientId;
    }
    if (n.type === "mqtt in") n.topic = prefix + n.topic.substring(DEFAULT_PREFIX.length);
  }
  return out;
}

function waitForStart(child, timeoutMs, port) {
  return new Promise((resolvePromise, reject) => {
    let log = "";
    const timer = setTimeout(
      () => reject(new Error("Node-RED did not start in time:\n" + log)),
      timeoutMs,
    );
    const onData = (d) => {
      log += d.toString();
      if (log.indexOf("Started flows") >= 0) {
        clearTimeout(timer);
        resolvePromise();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (/EADDRINUSE/.test(log)) return reject(busyPortError(port));
      reject(new Error("Node-RED exited with " + code + ":\n" + (log || "(no output)")));
    });
  });
}

function busyPortError(port) {
  const e = new Error(
    "port " +
      port +
      " is already in use, so Node-RED cannot listen there: stop what listens on it (another " +
      "`npm run flows` or `npm start`?) or set LIOT_NODE_RED_PORT to a free port",
  );
  e.code = "EADDRINUSE";
  return e;
}

/** Resolves when host:port can be listened on; rejects with busyPortError when it is taken. */
function checkPortFree(host, port) {
  return new Promise((done, fail) => {
    const probe = createTcpServer();
    probe.once("error", (err) => fail(err.code === "EADDRINUSE" ? busyPortError(port) : err));
    probe.listen(port, host, () => probe.close(() => done()));
  });
}

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function sleepMs(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds this package (and the protocol's CommonJS bundle Node-RED loads) when dist is missing or
 * older than src, or when asked. A lock directory keeps parallel test files from building at once.
 */
export function ensureBuilt(force = false) {
  const protocolDir = join(pkg, "..", "protocol");
  const stamp = join(pkg, "dist", ".built");
  const lock = join(pkg, ".build-lock");
  const fresh = () =>
    existsSync(stamp) &&
    statSync(stamp).mtimeMs >= newestMtime(join(pkg, "src")) &&
    existsSync(join(protocolDir, "dist", "index.cjs"));
  if (!force && fresh()) return;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 120000)
        rmSync(lock, { recursive: true, force: true });
      sleepMs(200);
    }
  }
  try {
    if (!existsSync(join(protocolDir, "dist", "index.cjs")))
      execFileSync(process.execPath, [join(protocolDir, "scripts", "build.mjs")], {
        stdio: "inherit",
        cwd: protocolDir,
      });
    if (force || !fresh())
      execFileSync(process.execPath, [join(pkg, "scripts", "build.mjs")], { stdio: "inherit" });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * A stand-in rewards API for the demo when LIOT_REWARDS_URL is not set: accepts every POSTed day
 * total (201 for a new idempotency key, 200 replay for the same key and body, 422 for the same key
 * with a different body; 405 for any other method) and logs one line per call.
 */
export function startDemoRewardsApi(port = 0, log = (s) => console.log(s)) {
  const seen = new Map();
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      if (req.method !== "POST") {
        res.writeHead(405, { allow: "POST", "content-type": "application/json" });
        res.end(JSON.stringify({ status: 405, error: "POST day totals to this URL" }));
        return;
      }
      const key = String(req.headers["idempotency-key"] || "");
      const status = !seen.has(key) ? 201 : seen.get(key) === body ? 200 : 422;
      if (!seen.has(key)) seen.set(key, body);
      log("demo rewards API: " + status + " " + key + " " + body);
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ status }));
    });
  });
  return new Promise((done) =>
    server.listen(port, "127.0.0.1", () => {
      const a = server.address();
      done({
        url: "http://127.0.0.1:" + a.port + "/v1/day-totals",
        close: () => new Promise((r) => server.close(() => r())),
      });
    }),
  );
}

/**
 * Starts Node-RED as a child process. Resolves when the flows have started.
 * @returns {Promise<{url: string, dashboardUrl: string, userDir: string, child: import("node:child_process").ChildProcess, stop: () => Promise<void>}>}
 */
export async function startNodeRed(opts = {}) {
  const port = Number(opts.port ?? process.env.LIOT_NODE_RED_PORT ?? 1880);
  const brokerUrl = opts.brokerUrl ?? process.env.LIOT_BROKER_URL ?? "mqtt://127.0.0.1:1883";
  const prefix = opts.prefix ?? process.env.LIOT_TOPIC_PREFIX ?? DEFAULT_PREFIX;
  const userDir = resolve(
    opts.userDir ?? process.env.LIOT_NODE_RED_USER_DIR ?? join(pkg, ".node-red"),
  );
  const clientId = opts.clientId ?? "leiden-iot-flows-" + port;
  const host = (opts.env ?? {}).LIOT_NODE_RED_HOST ?? process.env.LIOT_NODE_RED_HOST ?? "127.0.0.1";
  await checkPortFree(host, port);
  ensureBuilt(false);
  mkdirSync(userDir, { recursive: true });
  const flowFile = join(userDir, "flows.json");
  if (opts.resetFlows || !existsSync(flowFile)) {
    const flows = deployableFlows({ brokerUrl, prefix, clientId });
    // opts.patchFlows(flows): tests tune node settings (e.g. shorter backoff) before deploying
    if (opts.patchFlows) opts.patchFlows(flows);
    writeFileSync(flowFile, JSON.stringify(flows, null, 2));
  }
  const env = Object.assign({}, process.env, opts.env ?? {}, {
    LIOT_NODE_RED_PORT: String(port),
    LIOT_NODE_RED_USER_DIR: userDir,
    LIOT_BROKER_URL: brokerUrl,
    LIOT_TOPIC_PREFIX: prefix,
  });
  if (opts.rewardsUrl) env.LIOT_REWARDS_URL = opts.rewardsUrl;
  if (opts.webhookUrl) env.LIOT_ALERT_WEBHOOK_URL = opts.webhookUrl;
  const red = require.resolve("node-red/red.js");
  const child = spawn(process.execPath, [red, "--settings", join(pkg, "settings.js")], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (opts.log) {
    child.stdout.on("data", (d) => opts.log(d.toString()));
    child.stderr.on("data", (d) => opts.log(d.toString()));
  }
  await waitForStart(child, opts.startTimeoutMs ?? 30000, port);
  const url = "http://127.0.0.1:" + port;
  const stop = () =>
    new Promise((done) => {
      if (child.exitCode !== null) return done();
      const kill = setTimeout(() => child.kill("SIGKILL"), 10000);
      child.once("exit", () => {
        clearTimeout(kill);
        done();
      });
      child.kill("SIGINT");
    });
  return {
    url,
    editorUrl: url + "/",
    dashboardUrl: url + "/dashboard/klassen",
    organisationUrl: url + "/dashboard/organisatie",
    userDir,
    child,
    stop,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // the command-line helper comes from protocol's dist: a fresh clone builds it first
  if (!existsSync(join(pkg, "..", "protocol", "dist", "cli.js"))) ensureBuilt();
  const { defineCommand, parseOrExit } = await import("@leiden-iot/protocol/cli");
  const { values } = parseOrExit(
    defineCommand({
      command: "npm run flows --",
      summary:
        "Starts Node-RED with the committed settings, this package's nodes and the example flows\n" +
        "(teacher dashboard, CO2 alerts, daily step totals to the rewards API) against an MQTT\n" +
        "broker, and a stand-in rewards API unless LIOT_REWARDS_URL is set. Ctrl-C stops it.",
      options: {
        reset: {
          kind: "boolean",
          help: "deploy the example flows again over the user dir's flows.json",
        },
      },
      notes:
        "Environment: LIOT_BROKER_URL (mqtt://127.0.0.1:1883), LIOT_TOPIC_PREFIX (leiden/demo),\n" +
        "LIOT_NODE_RED_PORT (1880), LIOT_NODE_RED_USER_DIR, LIOT_REWARDS_URL, LIOT_ALERT_WEBHOOK_URL.",
      examples: [
        "npm run flows",
        "LIOT_BROKER_URL=mqtt://broker:1883 LIOT_TOPIC_PREFIX=leiden npm run flows -- --reset",
      ],
    }),
    process.argv.slice(2),
  );
  ensureBuilt(true);
  const reset = values.reset;
  const demoApi = process.env.LIOT_REWARDS_URL ? null : await startDemoRewardsApi();
  const nr = await startNodeRed({
    resetFlows: reset,
    rewardsUrl: demoApi ? demoApi.url : undefined,
    log: (s) => process.stdout.write(s),
  });
  const broker = process.env.LIOT_BROKER_URL ?? "mqtt://127.0.0.1:1883";
  console.log(
    "\nLeiden IoT flows are running (broker " +
      broker +
      ", prefix " +
      (process.env.LIOT_TOPIC_PREFIX ?? DEFAULT_PREFIX) +
      ")",
  );
  console.log("  Dashboard (klassen):      " + nr.dashboardUrl);
  console.log("  Organisatie (aggregates): " + nr.organisationUrl);
  console.log("  Node-RED editor:          " + nr.editorUrl);
  console.log(
    "  Rewards API:              " +
      (demoApi
        ? demoApi.url + " (demo stand-in; set LIOT_REWARDS_URL)"
        : process.env.LIOT_REWARDS_URL),
  );
  const shutdown = () =>
    void nr
      .stop()
      .then(() => (demoApi ? demoApi.close() : undefined))
      .then(() => process.exit(0));
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

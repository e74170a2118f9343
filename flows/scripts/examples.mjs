// Generates examples/*.json (the example flows shipped with the package) from one definition, so
// the three flows share their config nodes (same ids: broker, dashboard) and can be deployed
// together. Run `node scripts/examples.mjs` after a change; a test checks the committed files match.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CO2_LEGAL_LIMIT_PPM, DEFAULT_CO2_PRESET, topicFilters } from "@leiden-iot/protocol";
import {
  DEFAULT_PREFIX,
  broker,
  catchAll,
  group,
  mqttIn,
  page,
  tab,
  uiBase,
  uiTheme,
} from "./example-parts.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const template = (name) => readFileSync(join(here, "dashboard", name), "utf8");

export { DEFAULT_PREFIX };

function classroomDashboard() {
  const z = "liot-tab-classrooms";
  return [
    tab(
      z,
      "Meet de Klas: dashboard",
      "Classroom CO2 traffic lights, 24-hour history (SQLite), room names from names.yaml and a 'ventilate now' banner. Dashboard: /dashboard/klassen",
    ),
    mqttIn("liot-cl-mqtt", z, topicFilters(DEFAULT_PREFIX).classrooms, "liot-cl-decode", 150, 80),
    {
      id: "liot-cl-decode",
      type: "liot-decode",
      z,
      name: "",
      x: 340,
      y: 80,
      wires: [[], ["liot-cl-status"]],
    },
    {
      id: "liot-cl-status",
      type: "liot-classroom-status",
      z,
      name: "",
      preset: DEFAULT_CO2_PRESET.name,
      orangePpm: "",
      redPpm: "",
      hysteresisPpm: "",
      alertPpm: String(CO2_LEGAL_LIMIT_PPM),
      alertMinutes: "10",
      store: "",
      x: 560,
      y: 80,
      wires: [["liot-cl-history"], []],
    },
    {
      id: "liot-cl-history",
      type: "liot-history-store",
      z,
      name: "",
      file: "leiden-history.sqlite",
      windowHours: "24",
      keepHours: "48",
      bucketMinutes: "5",
      names: "",
      namesFile: "names.yaml",
      x: 790,
      y: 60,
      wires: [["liot-cl-board"]],
    },
    {
      id: "liot-cl-board",
      type: "ui-template",
      z,
      group: "liot-ui-group-classrooms",
      page: "",
      ui: "",
      name: "classroom board",
      order: 1,
      width: "12",
      height: 0,
      head: "",
      format: template("classroom-board.vue").replace(
        "CO2_REFERENCE_LINES",
        "[" + DEFAULT_CO2_PRESET.orangePpm + ", " + DEFAULT_CO2_PRESET.redPpm + "]",
      ),
      storeOutMessages: true,
      passthru: false,
      resendOnRefresh: true,
      templateScope: "local",
      className: "",
      x: 1000,
      y: 60,
      wires: [[]],
    },
    ...catchAll("liot-cl-catch", z, 180),
  ];
}

function co2AlertWebhook() {
  const z = "liot-tab-alerts";
  return [
    tab(
      z,
      "Meet de Klas: CO2 alert webhook",
      "Sends a JSON alert to the webhook in env LIOT_ALERT_WEBHOOK_URL (e.g. the health service) when a classroom stays above " +
        CO2_LEGAL_LIMIT_PPM +
        " ppm for 10 minutes, and an all-clear after.",
    ),
    // the same topic filter as the dashboard: Node-RED then holds one subscription for both,
    // where overlapping filters would make a broker deliver each reading twice (aedes, the
    // gateway's embedded broker, then drops the connection on the second acknowledgement)
    mqttIn("liot-al-mqtt", z, topicFilters(DEFAULT_PREFIX).classrooms, "liot-al-decode", 150, 80),
    {
      id: "liot-al-decode",
      type: "liot-decode",
      z,
      name: "",
      x: 340,
      y: 80,
      wires: [[], ["liot-al-status"]],
    },
    {
      id: "liot-al-status",
      type: "liot-classroom-status",
      z,
      name: "",
      preset: DEFAULT_CO2_PRESET.name,
      orangePpm: "",
      redPpm: "",
      hysteresisPpm: "",
      alertPpm: String(CO2_LEGAL_LIMIT_PPM),
      alertMinutes: "10",
      store: "",
      x: 560,
      y: 80,
      wires: [[], ["liot-al-body"]],
    },
    {
      id: "liot-al-body",
      type: "function",
      z,
      name: "webhook body",
      func: [
        "// Alert or all-clear -> JSON for the webhook. No webhook configured: stop here.",
        "const url = env.get('LIOT_ALERT_WEBHOOK_URL');",
        "if (!url) { node.status({ fill: 'grey', shape: 'ring', text: 'LIOT_ALERT_WEBHOOK_URL not set' }); return null; }",
        "const a = msg.payload;",
        "msg.url = url;",
        "msg.method = 'POST';",
        "msg.headers = { 'content-type': 'application/json' };",
        "msg.payload = { type: a.type, classroom: a.pseudonym, co2Ppm: a.co2Ppm, since: a.since || null, time: a.time, text: a.advice || null };",
        "node.status({ fill: a.type === 'alert' ? 'red' : 'green', shape: 'dot', text: a.type });",
        "return msg;",
      ].join("\n"),
      outputs: 1,
      timeout: 0,
      noerr: 0,
      initialize: "",
      finalize: "",
      libs: [],
      x: 780,
      y: 80,
      wires: [["liot-al-http"]],
    },
    {
      id: "liot-al-http",
      type: "http request",
      z,
      name: "alert webhook",
      method: "use",
      ret: "txt",
      paytoqs: "ignore",
      url: "",
      tls: "",
      persist: false,
      proxy: "",
      insecureHTTPParser: false,
      authType: "",
      senderr: true,
      headers: [],
      x: 990,
      y: 80,
      wires: [["liot-al-result"]],
    },
    {
      id: "liot-al-result",
      type: "debug",
      z,
      name: "webhook answer",
      active: false,
      tosidebar: true,
      console: false,
      tostatus: true,
      complete: "statusCode",
      targetType: "msg",
      statusVal: "statusCode",
      statusType: "msg",
      x: 1180,
      y: 80,
      wires: [],
    },
    ...catchAll("liot-al-catch", z, 160),
  ];
}

function stepsToRewards() {
  const z = "liot-tab-steps";
  return [
    tab(
      z,
      "healthcoin: steps to rewards",
      "One day total per participant and day to the rewards API (env LIOT_REWARDS_URL), and an organisation view with aggregates only: /dashboard/organisatie",
    ),
    mqttIn("liot-st-mqtt", z, topicFilters(DEFAULT_PREFIX).bands, "liot-st-decode", 150, 80),
    {
      id: "liot-st-decode",
      type: "liot-decode",
      z,
      name: "",
      x: 340,
      y: 80,
      wires: [["liot-st-daily"], []],
    },
    {
      id: "liot-st-daily",
      type: "liot-daily-steps",
      z,
      name: "",
      graceMinutes: "60",
      keepDays: "40",
      tickSeconds: "60",
      store: "",
      x: 540,
      y: 80,
      wires: [["liot-st-rewards", "liot-st-summary"], []],
    },
    {
      id: "liot-st-rewards",
      type: "liot-rewards-out",
      z,
      name: "",
      url: "",
      timeoutSeconds: "10",
      backoffSeconds: "1",
      maxBackoffSeconds: "300",
      store: "",
      x: 760,
      y: 60,
      wires: [[], []],
    },
    {
      id: "liot-st-summary",
      type: "liot-steps-summary",
      z,
      name: "",
      minGroup: "5",
      keepDays: "14",
      holdMinutes: "60",
      store: "",
      x: 760,
      y: 120,
      wires: [["liot-st-org"]],
    },
    {
      id: "liot-st-org",
      type: "ui-template",
      z,
      group: "liot-ui-group-organisation",
      page: "",
      ui: "",
      name: "organisation view",
      order: 1,
      width: "12",
      height: 0,
      head: "",
      format: template("organisation-view.vue"),
      storeOutMessages: true,
      passthru: false,
      resendOnRefresh: true,
      templateScope: "local",
      className: "",
      x: 980,
      y: 120,
      wires: [[]],
    },
    ...catchAll("liot-st-catch", z, 180),
  ];
}

const shared = {
  classrooms: [
    broker,
    uiBase,
    uiTheme,
    page("liot-ui-page-classrooms", "Klassen", "/klassen", "school", 1),
    group("liot-ui-group-classrooms", "Klassen", "liot-ui-page-classrooms"),
  ],
  organisation: [
    broker,
    uiBase,
    uiTheme,
    page("liot-ui-page-organisation", "Organisatie", "/organisatie", "walk", 2),
    group("liot-ui-group-organisation", "Organisatie", "liot-ui-page-organisation"),
  ],
};

/** The example flows by file name. */
export function buildExamples() {
  return {
    "classroom-dashboard.json": [...classroomDashboard(), ...shared.classrooms],
    "co2-alert-webhook.json": [...co2AlertWebhook(), broker],
    "steps-to-rewards.json": [...stepsToRewards(), ...shared.organisation],
  };
}

/** JSON as prettier writes it, so `prettier --check` passes on generated files. */
export async function serialise(flow, file) {
  const text = JSON.stringify(flow, null, 2) + "\n";
  try {
    const prettier = await import("prettier");
    return await prettier.format(text, { parser: "json", filepath: file });
  } catch {
    return text;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = join(here, "..", "examples");
  for (const [name, flow] of Object.entries(buildExamples()))
    writeFileSync(join(out, name), await serialise(flow, join(out, name)));
  console.log("flows: wrote examples/*.json");
}

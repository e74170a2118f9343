// Node-RED settings for `npm run flows` and the end-to-end tests. Committed; everything that
// differs per run comes from the environment (set by scripts/start-node-red.mjs):
//   LIOT_NODE_RED_PORT (1880), LIOT_NODE_RED_USER_DIR (flows/.node-red), LIOT_CONTEXT_FLUSH_S (2),
//   LIOT_NODE_RED_LOG (info; start-node-red.mjs waits for the info line "Started flows")
/* global require, module, __dirname */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const path = require("node:path");

const userDir = process.env.LIOT_NODE_RED_USER_DIR || path.join(__dirname, ".node-red");

module.exports = {
  uiPort: Number(process.env.LIOT_NODE_RED_PORT || 1880),
  uiHost: process.env.LIOT_NODE_RED_HOST || "127.0.0.1",
  userDir,
  flowFile: "flows.json",
  flowFilePretty: true,
  credentialSecret: process.env.LIOT_CREDENTIAL_SECRET || "leiden-iot-demo-only",
  // Persistent context: daily step totals and the rewards queue survive a restart.
  contextStorage: {
    default: {
      module: "localfilesystem",
      config: { flushInterval: Number(process.env.LIOT_CONTEXT_FLUSH_S || 2) },
    },
  },
  // No projects, no palette manager downloads, no telemetry: the demo runs offline.
  editorTheme: {
    projects: { enabled: false },
    tours: false,
  },
  telemetry: { enabled: false },
  diagnostics: { enabled: false },
  externalModules: { autoInstall: false, palette: { allowInstall: false } },
  logging: {
    console: { level: process.env.LIOT_NODE_RED_LOG || "info", metrics: false, audit: false },
  },
  functionExternalModules: false,
  exportGlobalContextKeys: false,
  // Dashboard 2.0 at /dashboard (configured by the ui-base node in the example flows).
};

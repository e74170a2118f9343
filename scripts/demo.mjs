#!/usr/bin/env node
// `npm start`: the demo. Until the gateway lands (issue 4) this says so instead of failing silently.
import { existsSync } from "node:fs";
import { spawn } from "node:child_process";

const gatewayDemo = new URL("../gateway/src/cli/demo.ts", import.meta.url);
if (!existsSync(gatewayDemo)) {
  console.log("The demo (gateway with embedded broker, simulated bands and classrooms, dashboard)");
  console.log("arrives with the gateway package. Meanwhile: `npm test` runs every test.");
  process.exit(0);
}
const child = spawn(
  process.execPath,
  ["--conditions=source", "--import", "tsx", gatewayDemo.pathname, ...process.argv.slice(2)],
  {
    stdio: "inherit",
  },
);
child.on("exit", (code) => process.exit(code ?? 1));

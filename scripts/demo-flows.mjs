// What `npm start` changes in the example flows, and the names of its simulated classrooms.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

/** The demo's classrooms in fleet order (the first one is in the long lesson, demo-profile.ts). */
export const DEMO_ROOMS = [
  { nl: "Lokaal 2.12 (groep 8)", en: "Room 2.12 (group 8)" },
  { nl: "Lokaal 1.04 (groep 3)", en: "Room 1.04 (group 3)" },
  { nl: "Lokaal 1.07 (groep 5)", en: "Room 1.07 (group 5)" },
  { nl: "Lokaal 2.01 (groep 6)", en: "Room 2.01 (group 6)" },
  { nl: "Lokaal 2.03 (groep 7)", en: "Room 2.03 (group 7)" },
];
/** gateway/src/cli/demo.ts uses the sim's default first classroom id. */
const FIRST_CLASSROOM_ID = 100000;
/** Demo only: the organisation view's hold time (default 60 min) and how often it is checked. */
export const DEMO_HOLD_MINUTES = "0.25";
export const DEMO_SUMMARY_TICK_SECONDS = "5";

/**
 * The example flows as the demo runs them: the steps summary holds a date's totals 15 s instead of
 * 60 minutes (simulated participants; every other privacy rule, e.g. 5 participants, stays), and
 * with the gateway's embedded broker (aedes speaks MQTT 3.1.1 only) Node-RED connects with 3.1.1.
 */
export function patchDemoFlows(flows, { embeddedBroker }) {
  for (const n of flows) {
    if (n.type === "liot-steps-summary") {
      n.holdMinutes = DEMO_HOLD_MINUTES;
      n.tickSeconds = DEMO_SUMMARY_TICK_SECONDS;
    }
    if (n.type === "mqtt-broker" && embeddedBroker) n.protocolVersion = "4";
  }
}

async function waitForFile(path, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error("no key registry at " + path);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * names.yaml for the demo's classrooms: their pseudonyms come from the demo key registry the
 * gateway generated (the same derivation the gateway uses, gateway/src/registry/load.ts).
 */
export async function demoNamesTable(root, env) {
  const stateDir = resolve(env.LIOT_STATE_DIR ?? join(root, "gateway", ".state"));
  const path = resolve(env.LIOT_REGISTRY ?? join(stateDir, "registry.yaml"));
  await waitForFile(path, 30000);
  const { tsImport } = await import("tsx/esm/api");
  const { loadRegistry } = await tsImport(
    join(root, "gateway/src/registry/load.ts"),
    import.meta.url,
  );
  const { nodeAes128, pseudonymOf } = await import("@leiden-iot/protocol");
  const registry = loadRegistry(path);
  const lines = [
    "# Classroom names for the dashboard (flows/README.md#classroom-names), written by npm start",
    "classrooms:",
  ];
  DEMO_ROOMS.forEach((room, i) => {
    const p = pseudonymOf(nodeAes128, registry.pseudonymKey, FIRST_CLASSROOM_ID + i);
    lines.push(`  ${p}: { nl: "${room.nl}", en: "${room.en}" }`);
  });
  return lines.join("\n") + "\n";
}

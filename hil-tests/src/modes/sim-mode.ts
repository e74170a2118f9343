// --sim: every scenario gets a fresh simulated world (firmware simulator + SimIO + gateway).
import { fileURLToPath } from "node:url";
import { loadRigConfig } from "../config/load-rig-config.js";
import type { RigConfig } from "../config/rig-config.js";
import type { HilContext } from "../rig/context.js";
import type { ContextFactory } from "../runner/run-suite.js";
import type { Scenario } from "../scenario/types.js";
import { SimSession } from "../sim/sim-session.js";

export const SIM_RIG = fileURLToPath(new URL("../../rigs/sim.yaml", import.meta.url));
export const SIM_BANGLE_RIG = fileURLToPath(new URL("../../rigs/sim-bangle.yaml", import.meta.url));

/** The simulator's rig for a scenario: the Bangle.js 2 variants have their own. */
export function simRigFor(s: Scenario): RigConfig {
  return loadRigConfig(s.board === "banglejs2" ? SIM_BANGLE_RIG : SIM_RIG);
}

export function simFactory(
  log: (line: string) => void,
  rigFor: (s: Scenario) => RigConfig = simRigFor,
): ContextFactory {
  const sessions = new Map<HilContext, SimSession>();
  return {
    mode: "sim",
    async open(s: Scenario) {
      const session = await SimSession.open(rigFor(s), s, (l) => log(`  ${s.name}: ${l}`));
      sessions.set(session.ctx, session);
      return session.ctx;
    },
    problems(ctx) {
      const s = sessions.get(ctx);
      return s
        ? s.sim.errors.map(
            (e) => `threw at ${new Date(e.at).toISOString()}: ${e.message.split("\n")[0]}`,
          )
        : [];
    },
    async close(ctx) {
      const s = sessions.get(ctx);
      sessions.delete(ctx);
      await s?.close();
    },
  };
}

// `npm run hil -- --sim | --rig <rig.yaml> [--only names] [--reports dir]`: runs the scenarios,
// writes the JUnit XML and Markdown reports, lists NOT RUN scenarios loudly, and exits non-zero
// when a scenario failed (or did not run, unless --allow-not-run on a rig).
import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";
import { usageError } from "@leiden-iot/protocol/cli";
import { HIL, parseCliArgs, USAGE, UsageProblem } from "./cli-args.js";
import { runHil } from "./run-hil.js";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

async function main(): Promise<number> {
  let args;
  try {
    args = parseCliArgs(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd(), packageDir);
  } catch (e) {
    if (e instanceof UsageProblem) usageError(HIL, e.message);
    throw e;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const r = await runHil(args, (l) => console.log(l));
    return r.failed ? 1 : 0;
  } catch (e) {
    console.error(`hil: ${(e as Error).message}`);
    return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(2);
  },
);

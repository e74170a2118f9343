// Command-line arguments of `npm run hil`, on the repository's command-line convention
// (@leiden-iot/protocol/cli): pure, so its errors are testable; src/cli.ts prints and exits.
import { isAbsolute, resolve } from "node:path";
import { defineCommand, formatUsage, parseCommandLine } from "@leiden-iot/protocol/cli";

export interface CliArgs {
  mode: "sim" | "rig";
  rigConfig?: string;
  only?: string;
  reports: string;
  /** Not-run scenarios fail the run: always in --sim (CI must prove every scenario). */
  notRunFails: boolean;
  help: boolean;
}

export const HIL = defineCommand({
  command: "npm run hil --",
  summary:
    "Runs the hardware-in-the-loop scenarios against the firmware simulator or a bench rig,\n" +
    "writes JUnit XML and a Markdown summary, lists NOT RUN scenarios loudly, and exits 1 when a\n" +
    "scenario failed (or did not run, unless --allow-not-run on a rig).",
  options: {
    sim: { kind: "boolean", help: "every scenario against the firmware simulator (default; CI)" },
    rig: { value: "<rig.yaml>", help: "on the bench rig the file describes (hil-tests/README.md)" },
    only: {
      value: "<names>",
      help: 'comma-separated scenario names, "*" wildcards allowed (e.g. band-*)',
    },
    reports: {
      value: "<dir>",
      help: "where the JUnit XML and Markdown summary go (default hil-tests/reports)",
    },
    "allow-not-run": {
      kind: "boolean",
      help: "on a rig: scenarios it cannot run do not fail the exit code (still listed as NOT RUN); never with --sim",
    },
  },
  notes: "Relative paths resolve from the directory you run npm in.",
  examples: [
    "npm run hil -- --sim",
    "npm run hil -- --sim --only band-*",
    "npm run hil -- --rig rig.yaml --allow-not-run --reports out",
  ],
});

export const USAGE = formatUsage(HIL);

/** A usage problem: one line; src/cli.ts prints it with the --help hint and exits 2. */
export class UsageProblem extends Error {}

/** cwd: where the user ran npm (INIT_CWD), against which paths are resolved. */
export function parseCliArgs(argv: readonly string[], cwd: string, packageDir: string): CliArgs {
  const r = parseCommandLine(HIL, argv);
  const out: CliArgs = {
    mode: "sim",
    reports: resolve(packageDir, "reports"),
    notRunFails: true,
    help: false,
  };
  if (r.kind === "help") return { ...out, help: true };
  if (r.kind === "error") throw new UsageProblem(r.message);
  const v = r.values;
  const path = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  if (v.rig !== undefined) {
    out.mode = "rig";
    out.rigConfig = path(v.rig);
  }
  if (v.only !== undefined) out.only = v.only;
  if (v.reports !== undefined) out.reports = path(v.reports);
  if (v.sim && out.mode === "rig") throw new UsageProblem("--sim and --rig exclude each other");
  if (v["allow-not-run"] && out.mode === "sim")
    throw new UsageProblem("--allow-not-run is for rigs: in --sim every scenario must run");
  out.notRunFails = !v["allow-not-run"];
  return out;
}

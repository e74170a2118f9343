// Command-line arguments of `npm run hil`: pure, so its errors are testable.
import { isAbsolute, resolve } from "node:path";

export interface CliArgs {
  mode: "sim" | "rig";
  rigConfig?: string;
  only?: string;
  reports: string;
  /** Not-run scenarios fail the run: always in --sim (CI must prove every scenario). */
  notRunFails: boolean;
  help: boolean;
}

export const USAGE = `usage: npm run hil -- [--sim | --rig <rig.yaml>] [--only <name,...>] [--reports <dir>]
                      [--allow-not-run]

  --sim              run every scenario against the firmware simulator (default; what CI runs)
  --rig <rig.yaml>   run them on the bench rig described by the file (see hil-tests/README.md)
  --only <names>     comma-separated scenario names, "*" wildcards allowed (e.g. band-*)
  --reports <dir>    where the JUnit XML and Markdown summary go (default hil-tests/reports)
  --allow-not-run    on a rig: scenarios the rig cannot run do not fail the exit code
                     (they are still listed as NOT RUN); never allowed with --sim`;

/** cwd: where the user ran npm (INIT_CWD), against which paths are resolved. */
export function parseCliArgs(argv: readonly string[], cwd: string, packageDir: string): CliArgs {
  const out: CliArgs = {
    mode: "sim",
    reports: resolve(packageDir, "reports"),
    notRunFails: true,
    help: false,
  };
  let allowNotRun = false;
  let sawSim = false;
  const path = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === "--sim") sawSim = true;
    else if (a === "--rig") {
      out.mode = "rig";
      out.rigConfig = path(value());
    } else if (a === "--only") out.only = value();
    else if (a === "--reports") out.reports = path(value());
    else if (a === "--allow-not-run") allowNotRun = true;
    else if (a === "--help" || a === "-h") out.help = true;
    else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  if (sawSim && out.mode === "rig") throw new Error(`--sim and --rig exclude each other\n${USAGE}`);
  if (allowNotRun && out.mode === "sim")
    throw new Error("--allow-not-run is for rigs: in --sim every scenario must run");
  out.notRunFails = !allowNotRun;
  return out;
}

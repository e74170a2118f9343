// The compiled gateway (gateway/dist, built by `npm run build`) and helpers to run it as a real
// process with plain `node`. Tests that use it refuse a dist/ older than its sources, so they never
// pass against yesterday's build.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const GATEWAY_DIR = fileURLToPath(new URL("../..", import.meta.url));
export const PROTOCOL_DIR = fileURLToPath(new URL("../../../protocol", import.meta.url));
export const COMPILED_MAIN = join(GATEWAY_DIR, "dist", "cli", "main.js");

function newestMtime(dir: string, ext: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !e.name.endsWith(ext)) continue;
    newest = Math.max(newest, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return newest;
}

/** Throws unless protocol/dist and gateway/dist exist and are newer than their sources. */
export function assertBuilt(): void {
  const pairs: [string, string][] = [
    [join(PROTOCOL_DIR, "src"), join(PROTOCOL_DIR, "dist", "index.js")],
    [join(GATEWAY_DIR, "src"), COMPILED_MAIN],
  ];
  for (const [src, out] of pairs) {
    if (!existsSync(out) || statSync(out).mtimeMs < newestMtime(src, ".ts"))
      throw new Error(`${out} is missing or older than ${src}: run \`npm run build\` first`);
  }
}

export interface GatewayProcess {
  child: ChildProcess;
  /** Resolves once the gateway logged "gateway running". */
  running: Promise<void>;
  exited: Promise<number | null>;
  output(): string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

/** Spawns `command args...` (a gateway CLI) and watches its log for "gateway running". */
export function spawnGateway(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; startTimeoutMs?: number } = {},
): GatewayProcess {
  const child = spawn(command, args, {
    cwd: opts.cwd ?? GATEWAY_DIR,
    env: opts.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let onRunning: () => void = () => undefined;
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const running = new Promise<void>((resolve, reject) => {
    onRunning = resolve;
    const ms = opts.startTimeoutMs ?? 30_000;
    const t = setTimeout(
      () => reject(new Error(`gateway did not start within ${ms} ms:\n${out}`)),
      ms,
    );
    child.once("exit", (code) => {
      clearTimeout(t);
      reject(new Error(`gateway exited (${code}) before running:\n${out}`));
    });
  });
  running.catch(() => undefined);
  const collect = (d: Buffer) => {
    out += d.toString();
    if (out.includes('"gateway running"')) onRunning();
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  return {
    child,
    running,
    exited,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** The compiled gateway CLI from this checkout, on plain node. */
export function spawnCompiledGateway(config: string): GatewayProcess {
  return spawnGateway(process.execPath, [COMPILED_MAIN, "start", "--config", config]);
}

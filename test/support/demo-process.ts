// `npm start` as a user runs it, as a real process group on free ports with private state, so a
// test can watch its output and stop it (and everything it started) again.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./mosquitto.js";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));

export interface DemoProcess {
  child: ChildProcess;
  /** Date.now() when `npm start` was spawned. */
  startedAt: number;
  output(): string;
  /** Resolves with the first match of `re` in the output (stdout and stderr). */
  waitFor(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startDemo(): Promise<DemoProcess> {
  const dir = mkdtempSync(join(tmpdir(), "liot-demo-"));
  const env = {
    ...process.env,
    LIOT_BROKER_URL: "mqtt://127.0.0.1:" + (await freePort()),
    LIOT_NODE_RED_PORT: String(await freePort()),
    LIOT_METRICS_PORT: String(await freePort()),
    LIOT_KIJK_MEE_PORT: String(await freePort()),
    LIOT_STATE_DIR: join(dir, "gateway-state"),
    LIOT_NODE_RED_USER_DIR: join(dir, "node-red"),
  };
  const startedAt = Date.now();
  const child = spawn("npm", ["start"], {
    cwd: root,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const waiters: (() => void)[] = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.slice()) w();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  return {
    child,
    startedAt,
    output: () => out,
    waitFor(re, timeoutMs) {
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          const m = out.match(re);
          if (m) {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(check), 1);
            resolvePromise(m);
          }
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1);
          reject(
            new Error(`npm start did not print ${re} in ${timeoutMs} ms:\n${out.slice(-3000)}`),
          );
        }, timeoutMs);
        waiters.push(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const kill = (sig: NodeJS.Signals) => {
          try {
            process.kill(-child.pid!, sig);
          } catch {
            /* already gone */
          }
        };
        kill("SIGINT");
        const t = setTimeout(() => kill("SIGKILL"), 15000);
        await exited;
        clearTimeout(t);
      }
      // npm has exited; give the gateway and Node-RED (same process group) time to follow
      for (let i = 0; i < 50 && groupAlive(child.pid!); i++)
        await new Promise((r) => setTimeout(r, 200));
      if (groupAlive(child.pid!)) process.kill(-child.pid!, "SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

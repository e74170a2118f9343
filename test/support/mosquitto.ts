// Starts a real Mosquitto broker on a free loopback port for integration and fault tests.
// Every test suite gets its own broker; nothing depends on a service started by hand.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface MosquittoOptions {
  /** Extra lines for mosquitto.conf after the listener line (TLS, password_file, ...). */
  listenerConfig?: string[];
  /** Allow clients without credentials (default true). */
  allowAnonymous?: boolean;
  /** Fixed port, e.g. to restart a broker on the port its clients know. */
  port?: number;
  /** Also log connections ("New client connected from ..."), readable with log(). */
  logConnections?: boolean;
}

export interface Mosquitto {
  port: number;
  url: string;
  dir: string;
  /** Stops the broker (SIGTERM, then SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** Starts it again on the same port and configuration. */
  start(): Promise<void>;
  /** Sends SIGHUP: Mosquitto reloads its ACL and password files. */
  reload(): void;
  /** What the broker logged since it (re)started (errors, warnings, connections if asked). */
  log(): string;
}

export function mosquittoBinary(): string {
  for (const p of ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"]) {
    if (spawnSync(p, ["-h"]).error === undefined) return p;
  }
  throw new Error(
    "mosquitto is not installed: run `apt-get install -y mosquitto` (CI's .ci/run does this)",
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = connect(port, "127.0.0.1");
      sock.once("connect", () => {
        sock.destroy();
        resolve();
      });
      sock.once("error", () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error("mosquitto did not listen on port " + port));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

export async function startMosquitto(opts: MosquittoOptions = {}): Promise<Mosquitto> {
  const bin = mosquittoBinary();
  const port = opts.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), "mosquitto-"));
  const conf = join(dir, "mosquitto.conf");
  writeFileSync(
    conf,
    [
      // Started as root, Mosquitto drops to the "mosquitto" user and then cannot write its
      // persistence file (or read ACL files) in the test's private temp directory: sessions would
      // silently not survive a restart. Keep the test broker's user.
      ...(process.getuid?.() === 0 ? ["user root"] : []),
      "persistence false",
      "log_dest stderr",
      "log_type error",
      "log_type warning",
      ...(opts.logConnections ? ["log_type notice", "connection_messages true"] : []),
      `listener ${port} 127.0.0.1`,
      `allow_anonymous ${opts.allowAnonymous === false ? "false" : "true"}`,
      ...(opts.listenerConfig ?? []),
      "",
    ].join("\n"),
  );
  let child: ChildProcess | null = null;
  let stderr = "";
  const start = async () => {
    stderr = "";
    child = spawn(bin, ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    try {
      await waitForPort(port, 5000);
    } catch (e) {
      throw new Error(`${(e as Error).message}; mosquitto said: ${stderr.trim() || "(nothing)"}`);
    }
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return resolve();
      // Mosquitto writes its persistence file on SIGTERM; under CI load that can take a while,
      // and a SIGKILL before it finishes would silently drop persisted sessions.
      const kill = setTimeout(() => c.kill("SIGKILL"), 10_000);
      c.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      c.kill("SIGTERM");
    });
  await start();
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    dir,
    start,
    reload: () => {
      child?.kill("SIGHUP");
    },
    log: () => stderr,
    stop: async () => {
      await stop();
    },
  };
}

/** Stops the broker and removes its directory. */
export async function disposeMosquitto(m: Mosquitto): Promise<void> {
  await m.stop();
  rmSync(m.dir, { recursive: true, force: true });
}

// One command-line convention for every command (issue 9 item 2), checked on the real commands
// as a user runs them from the repository root (`npm run -s ...`): -h/--help prints usage with
// examples on stdout and exits 0 without acting (no state directory, no key, no temp files, no
// radio stream, no MQTT client at a Mosquitto started for this test); an unknown option is one
// line on stderr naming it and pointing at --help, exit 2, no stack trace.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disposeMosquitto, freePort, startMosquitto, type Mosquitto } from "./support/mosquitto.js";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const tmp = join(tmpdir(), `liot-cli-help-${process.pid}`);
const stateDir = join(tmp, "state");
const nodeRedDir = join(tmp, "node-red");
const reports = join(tmp, "reports");
const childTmp = join(tmp, "tmp");
const simDir = join(root, "firmware", ".sim");

/** Every command of the READMEs, as `npm run -s <script> -- <args>`. */
const COMMANDS: { name: string; script: string; args: string[] }[] = [
  ...[
    [],
    ["start"],
    ["config"],
    ["simulate"],
    ["decode"],
    ["keys"],
    ["keys", "init"],
    ["keys", "derive"],
    ["keys", "add"],
    ["keys", "reprovision"],
    ["doctor"],
    ["watch"],
  ].map((args) => ({ name: ["gateway", ...args].join(" "), script: "gateway", args })),
  ...["sim", "flash", "provision", "energy", "eval:steps", "build:firmware", "flows", "hil"].map(
    (script) => ({ name: script, script, args: [] }),
  ),
];

interface Run {
  code: number | null;
  out: string;
  err: string;
}

let broker: Mosquitto;
let env: Record<string, string>;

function npm(args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn("npm", ["run", "-s", ...args], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const r: Run = { code: null, out: "", err: "" };
    child.stdout.on("data", (d: Buffer) => (r.out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (r.err += d.toString()));
    // a command that acts instead of helping (a gateway, Node-RED, a simulation) would not exit
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      r.code = code;
      done(r);
    });
  });
}

/** Runs the jobs, `width` at a time (the machine has 2 cores shared with others). */
async function pool<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array<T>(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}

function simFiles(): string {
  if (!existsSync(simDir)) return "";
  return readdirSync(simDir)
    .map((f) => f + "@" + statSync(join(simDir, f)).mtimeMs)
    .sort()
    .join("\n");
}

const help = new Map<string, Run>();
const bogus = new Map<string, Run>();
let simBefore = "";

beforeAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(childTmp, { recursive: true });
  broker = await startMosquitto({ logConnections: true });
  env = {
    ...(process.env as Record<string, string>),
    NO_COLOR: "1",
    TMPDIR: childTmp,
    LIOT_BROKER_URL: broker.url,
    LIOT_STATE_DIR: stateDir,
    LIOT_NODE_RED_USER_DIR: nodeRedDir,
    LIOT_NODE_RED_PORT: String(await freePort()),
    LIOT_METRICS_PORT: String(await freePort()),
  };
  delete env.LIOT_REGISTRY;
  delete env.LIOT_MASTER_KEY;
  simBefore = simFiles();
  const jobs: (() => Promise<void>)[] = [];
  for (const c of COMMANDS) {
    // -h for some, --help for the others; with the options that would otherwise act
    const flag = c.name.length % 2 === 0 ? "-h" : "--help";
    const extra =
      c.script === "hil"
        ? ["--reports", reports]
        : c.script === "flash" || c.script === "provision"
          ? ["--port", "00:11:22:33:44:55"]
          : [];
    jobs.push(async () => {
      help.set(c.name, await npm([c.script, "--", ...c.args, ...extra, flag]));
    });
    jobs.push(async () => {
      bogus.set(c.name, await npm([c.script, "--", ...c.args, "--bogus-option"]));
    });
  }
  jobs.push(async () => {
    help.set("bench", await npm(["bench", "--", "--help"]));
  });
  await pool(jobs, 3);
}, 600_000);

afterAll(async () => {
  if (broker) await disposeMosquitto(broker);
  rmSync(tmp, { recursive: true, force: true });
});

describe("every command answers --help without acting", () => {
  it.each(COMMANDS.map((c) => [c.name]))("%s --help", (name) => {
    const r = help.get(name)!;
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/^usage: npm run /);
    expect(r.out).toContain("-h, --help");
    expect(r.out).toContain("\nexamples:\n  npm ");
    expect(r.err).toBe("");
  });

  it("npm run bench -- --help: the usage of both benchmarks, nothing measured", () => {
    const r = help.get("bench")!;
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain("usage: npm run -w firmware bench -- [options]");
    expect(r.out).toContain("usage: npm run -w gateway bench -- [options]");
    expect(r.out).not.toMatch(/^gateway bench on |^\(a\) pipeline:|host ms\/sample: /m);
  });

  it("wrote nothing, generated no key and connected nowhere", () => {
    expect(existsSync(stateDir), "a command created the gateway state directory").toBe(false);
    expect(existsSync(nodeRedDir), "flows created a Node-RED user dir").toBe(false);
    expect(existsSync(reports), "hil wrote reports").toBe(false);
    // tsx keeps its compile cache in the temp directory; anything else is the command's
    expect(readdirSync(childTmp).filter((f) => !f.startsWith("tsx-"))).toEqual([]);
    expect(simFiles(), "sim wrote a radio stream").toBe(simBefore);
    expect(help.get("gateway keys")!.out).not.toMatch(/^[0-9a-f]{32}$/m);
    expect(help.get("build:firmware")!.out).not.toContain("building ");
    expect(broker.log()).not.toContain("New client connected");
  });
});

describe("a bad option is one line and exit 2", () => {
  it.each(COMMANDS.map((c) => [c.name]))("%s --bogus-option", (name) => {
    const r = bogus.get(name)!;
    expect(r.code, r.out + r.err).toBe(2);
    expect(r.out).toBe("");
    const lines = r.err.trimEnd().split("\n");
    expect(lines, r.err).toHaveLength(1);
    expect(lines[0]).toMatch(/^[a-z:-]+( [a-z]+)*: unknown option --bogus-option/);
    expect(lines[0]).toMatch(/see `npm run .*--help`$/);
  });

  it("an invalid value names the field and the allowed values", async () => {
    const r = await npm(["sim", "--", "--device", "lamp"]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(
      'sim: --device must be one of band, classroom, not "lamp"; see `npm run sim -- --help`',
    );
  }, 120_000);
});

describe("sim names its output per device, board and id", () => {
  it("a Bangle.js run does not overwrite the Puck.js stream", async () => {
    const puck = await npm(["sim", "--", "--days", "1", "--id", "9257"]);
    const bangle = await npm(["sim", "--", "--days", "1", "--id", "9257", "--board", "banglejs2"]);
    try {
      expect(puck.code, puck.err).toBe(0);
      expect(bangle.code, bangle.err).toBe(0);
      expect(puck.out).toContain("radio stream: " + join(simDir, "band-puckjs2-9257.ndjson"));
      expect(bangle.out).toContain("radio stream: " + join(simDir, "band-banglejs2-9257.ndjson"));
      expect(existsSync(join(simDir, "band-puckjs2-9257.ndjson"))).toBe(true);
    } finally {
      for (const b of ["puckjs2", "banglejs2"])
        rmSync(join(simDir, `band-${b}-9257.ndjson`), { force: true });
    }
  }, 240_000);
});

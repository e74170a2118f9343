// Docs that cannot drift: every command in the root README's quick start and command table is
// run here, as a user types it from the repository root, in a cheap mode (its --help, which
// prints the usage and acts on nothing, or the command itself where it is quick and offline, or
// a check of what runs it), and the firmware size table in firmware/README.md is compared with the build's.
// A command added to the README without a way to run it here fails the first test.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const readme = readFileSync(join(root, "README.md"), "utf8");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
};
const ci = readFileSync(join(root, ".ci", "run"), "utf8");

function section(title: string): string {
  const start = readme.indexOf("\n## " + title + "\n");
  if (start < 0) throw new Error(`README.md has no "## ${title}" section`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The commands of the quick start's sh block and of the command table's first column. */
function readmeCommands(): string[] {
  const quick = section("Quick start");
  const block = /```sh\n([\s\S]*?)```/.exec(quick);
  if (!block) throw new Error("README.md's quick start has no sh block");
  const fromQuick = block[1]!
    .split("\n")
    .map((l) => l.replace(/#.*$/, "").trim())
    .filter((l) => l !== "");
  const fromTable = section("Commands")
    .split("\n")
    .filter((l) => l.startsWith("| `"))
    .flatMap((l) => [...l.split(" | ")[0]!.matchAll(/`(npm [^`]+)`/g)].map((m) => m[1]!));
  return [...fromQuick, ...fromTable].map((c) => c.replace(/\\\|/g, "|"));
}

/** The npm script a README command runs: `npm run x -- ...` -> x, `npm test` -> test. */
function scriptOf(command: string): string {
  const m = /^npm (?:run (\S+)|(ci|start|test))(?:\s|$)/.exec(command);
  if (!m) throw new Error(`"${command}" is not an npm command`);
  return m[1] ?? m[2]!;
}

interface Run {
  status: number | null;
  out: string;
}

function npm(args: string[], timeoutMs = 60_000): Run {
  const r = spawnSync("npm", args, {
    cwd: root,
    encoding: "utf8",
    timeout: timeoutMs,
    stdio: ["ignore", "pipe", "pipe"],
    // an unreachable broker: a command that connects when it should only print cannot reach one
    env: { ...process.env, LIOT_BROKER_URL: "mqtt://127.0.0.1:9", NO_COLOR: "1" },
  });
  return { status: r.status, out: (r.stdout ?? "") + (r.stderr ?? "") };
}

/** Shell words. */
function words(command: string): string[] {
  return command.split(/\s+/).filter((w) => w !== "");
}

/**
 * `npm run <script> -- --help` exits 0 with its usage, which names every option of the README's
 * command (test/cli-help.test.ts checks that --help acts on nothing).
 */
function helpShows(script: string, command: string): Run {
  const r = npm(["run", "-s", script, "--", "--help"]);
  expect(r.status, r.out).toBe(0);
  expect(r.out).toMatch(/^usage: /);
  for (const o of command.match(/--[a-z-]+/g) ?? []) expect(r.out).toContain(o);
  return r;
}

/** How each script's README command is checked; `command` is the README text. */
const checks: Record<string, (command: string) => void> = {
  // the install and the test run are what .ci/run does on a fresh clone
  ci: () => expect(ci).toMatch(/^npm ci\b/m),
  test: () => {
    expect(pkg.scripts.test).toMatch(/vitest run/);
    expect(ci).toMatch(/^npm test$/m);
  },
  // npm start is run, and watched in Chromium, by test/demo.test.ts
  start: () => {
    expect(pkg.scripts.start).toBeDefined();
    expect(readFileSync(join(root, "test/support/demo-process.ts"), "utf8")).toContain(
      'spawn("npm", ["start"]',
    );
  },
  lint: () => expect(ci).toMatch(/^npm run lint$/m),
  typecheck: () => expect(ci).toMatch(/^npm run typecheck$/m),
  build: () => expect(pkg.scripts.test).toMatch(/^npm run build && /),
  // the benchmarks take minutes: each package the README names has one
  bench: () => {
    for (const p of ["gateway", "firmware"]) {
      const s = JSON.parse(readFileSync(join(root, p, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      };
      expect(s.scripts.bench, p + " has no bench script").toBeDefined();
    }
  },
  // the size table test below runs the build itself
  "build:firmware": (command) => helpShows("build:firmware", command),
  sim: (command) => helpShows("sim", command),
  energy: (command) => {
    const r = npm(["run", "-s", ...words(command).slice(2)]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/mAh/);
  },
  // the evaluation itself is test/steps/evaluate.test.ts
  "eval:steps": (command) => helpShows("eval:steps", command),
  // flashing without a device: firmware/test/unit/boards.test.ts
  flash: (command) => helpShows("flash", command),
  provision: (command) => helpShows("provision", command),
  // every subcommand the README lists is in the usage, which --help prints without acting
  gateway: (command) => {
    const r = helpShows("gateway", command);
    const list = /<([a-z|\\]+)>/.exec(command);
    const subs = list ? list[1]!.split(/\\?\|/) : words(command).slice(4, 5);
    for (const s of subs) expect(r.out).toMatch(new RegExp("^  " + s + "\\b", "m"));
  },
  // Node-RED with the example flows is started by the flows e2e tests through the same script
  flows: (command) => {
    helpShows("flows", command);
    expect(readFileSync(join(root, "flows/test/e2e/gateway-sim.test.ts"), "utf8")).toContain(
      "startNodeRed(",
    );
  },
  hil: (command) => helpShows("hil", command),
};

const commands = readmeCommands();

describe("README.md commands", () => {
  it("lists commands, each an npm script of package.json with a check here", () => {
    expect(commands.length).toBeGreaterThan(10);
    for (const c of commands) {
      const s = scriptOf(c);
      if (s !== "ci") expect(pkg.scripts[s], `"${c}": no npm script ${s}`).toBeDefined();
      expect(checks[s], `"${c}": add how to run it cheaply to ${import.meta.url}`).toBeDefined();
    }
  });

  it.each(commands.map((c) => [c]))(
    "%s",
    (command) => {
      checks[scriptOf(command)]!(command);
    },
    90_000,
  );

  it("firmware/README.md's size table is the one npm run build:firmware prints", () => {
    const r = npm(["run", "-s", "build:firmware"]);
    expect(r.status, r.out).toBe(0);
    const printed = r.out
      .split("\n")
      .map((l) => l.trimEnd())
      .filter((l) => /^(bundle\s+bytes|dist\/)/.test(l));
    const doc = readFileSync(join(root, "firmware", "README.md"), "utf8");
    const block = /Size table of this commit[^\n]*\n[^\n]*\n\n```\n([\s\S]*?)\n```/.exec(doc);
    expect(block, "firmware/README.md has no size table").not.toBeNull();
    expect(
      block![1]!.split("\n").map((l) => l.trimEnd()),
      "firmware/README.md's size table is stale: paste what `npm run build:firmware` prints",
    ).toEqual(printed);
  }, 60_000);

  it("says where the demo publishes, so the live view shows something", () => {
    const demo = readFileSync(join(root, "scripts/demo.mjs"), "utf8");
    const m = /LIOT_TOPIC_PREFIX \?\? "([^"]+)"/.exec(demo);
    expect(m, "scripts/demo.mjs's topic prefix moved: update this test").not.toBeNull();
    const prefix = [m![1]!];
    expect(readme).toContain("npm run gateway -- watch --prefix " + prefix![0]);
    expect(readFileSync(join(root, "gateway/README.md"), "utf8")).toContain(
      "--prefix " + prefix![0] + "\n",
    );
  });
});

// The shared command-line convention (pure part): help, typed values, one-line errors.
import { describe, expect, it } from "vitest";
import {
  defineCommand,
  formatUsage,
  parseCommandLine,
  parseOrExit,
  userCwd,
  userPath,
} from "../../src/cli/command-line.js";

const spec = defineCommand({
  command: "npm run sim --",
  summary: "Runs the firmware in the simulator.",
  positionals: [{ name: "target", help: "what to run" }],
  options: {
    device: { kind: "string", choices: ["band", "classroom"], default: "band", help: "device" },
    days: { kind: "integer", min: 1, max: 366, default: 7, help: "days" },
    rate: { kind: "number", min: 0.1, help: "frames/s" },
    out: { kind: "string", value: "<file>", help: "output" },
    json: { kind: "boolean", help: "JSON" },
  },
  examples: ["npm run sim -- --device classroom"],
});

describe("parseCommandLine", () => {
  it("types values and applies defaults", () => {
    const r = parseCommandLine(spec, ["--device", "classroom", "--days=3", "--rate", "2.5", "x"]);
    expect(r).toEqual({
      kind: "ok",
      values: { device: "classroom", days: 3, rate: 2.5, out: undefined, json: false },
      positionals: ["x"],
    });
    const d = parseCommandLine(spec, []);
    expect(d.kind === "ok" && d.values).toEqual({
      device: "band",
      days: 7,
      rate: undefined,
      out: undefined,
      json: false,
    });
  });

  it("-h and --help win over everything else and list options and examples", () => {
    for (const argv of [["--help"], ["-h"], ["--bogus", "--help"], ["--device", "lamp", "-h"]]) {
      const r = parseCommandLine(spec, argv);
      expect(r.kind).toBe("help");
    }
    const text = formatUsage(spec);
    expect(text).toContain("usage: npm run sim -- [<target>] [options]");
    expect(text).toContain("--device band|classroom");
    expect(text).toContain("(default 7)");
    expect(text).toContain("-h, --help");
    expect(text).toContain("examples:\n  npm run sim -- --device classroom");
  });

  it.each([
    [["--bogus"], "unknown option --bogus"],
    [["--devise", "band"], "unknown option --devise (did you mean --device?)"],
    [["--device", "lamp"], '--device must be one of band, classroom, not "lamp"'],
    [["--days", "0"], '--days must be a whole number from 1 to 366, not "0"'],
    [["--days", "2.5"], "--days must be a whole number"],
    [["--rate", "fast"], '--rate must be a number >= 0.1, not "fast"'],
    [["--out"], "--out needs a value <file>"],
    [["--out", "--json"], "--out needs a value <file>"],
    [["--json=yes"], "--json takes no value"],
    [["a", "b"], 'unexpected argument "b"'],
  ])("%j is an error: %s", (argv, message) => {
    const r = parseCommandLine(spec, argv);
    expect(r.kind).toBe("error");
    if (r.kind !== "error") return;
    expect(r.message).toContain(message);
    expect(r.message).not.toContain("\n");
    expect(r.hint).toBe("see `npm run sim -- --help`");
  });

  it("a required positional says what is missing", () => {
    const s = defineCommand({
      command: "npm run gateway -- decode",
      summary: "x",
      positionals: [{ name: "hex", required: true, help: "the frame as hex" }],
      options: {},
    });
    const r = parseCommandLine(s, []);
    expect(r.kind === "error" && r.message).toBe("missing <hex>: the frame as hex");
    const none = defineCommand({ command: "npm run energy --", summary: "x", options: {} });
    const extra = parseCommandLine(none, ["x"]);
    expect(extra.kind === "error" && extra.message).toContain("takes options only");
  });
});

describe("parseOrExit", () => {
  function io() {
    const out = { stdout: "", stderr: "", code: -1 };
    return {
      out,
      io: {
        stdout: { write: (s: string) => (out.stdout += s) },
        stderr: { write: (s: string) => (out.stderr += s) },
        exit: (c: number): never => {
          out.code = c;
          throw new Error("exit");
        },
      },
    };
  }

  it("help: usage on stdout, exit 0", () => {
    const t = io();
    expect(() => parseOrExit(spec, ["--help"], t.io)).toThrow("exit");
    expect(t.out).toEqual({ stdout: formatUsage(spec), stderr: "", code: 0 });
  });

  it("an error: one line on stderr naming the option and pointing at --help, exit 2", () => {
    const t = io();
    expect(() => parseOrExit(spec, ["--board", "x"], t.io)).toThrow("exit");
    expect(t.out).toEqual({
      stdout: "",
      stderr: "sim: unknown option --board; see `npm run sim -- --help`\n",
      code: 2,
    });
  });

  it("returns the values otherwise", () => {
    const t = io();
    expect(parseOrExit(spec, ["--json"], t.io).values.json).toBe(true);
  });
});

describe("paths from the user's directory", () => {
  it("uses INIT_CWD (npm -w runs scripts in the package folder)", () => {
    expect(userCwd({ INIT_CWD: "/home/u/repo" })).toBe("/home/u/repo");
    expect(userPath("gateway/r.yaml", { INIT_CWD: "/home/u/repo" })).toBe(
      "/home/u/repo/gateway/r.yaml",
    );
    expect(userPath("/abs/r.yaml", { INIT_CWD: "/home/u/repo" })).toBe("/abs/r.yaml");
    expect(userCwd({})).toBe(process.cwd());
  });
});

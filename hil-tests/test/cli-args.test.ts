// Command-line parsing: modes, paths resolved against where the user ran npm, and refusals.
import { describe, expect, it } from "vitest";
import { parseCliArgs } from "../src/cli-args.js";

const parse = (...a: string[]) => parseCliArgs(a, "/home/eng/bench", "/repo/hil-tests");

describe("parseCliArgs", () => {
  it("defaults to --sim with reports in hil-tests/reports, NOT RUN failing the run", () => {
    expect(parse()).toEqual({
      mode: "sim",
      reports: "/repo/hil-tests/reports",
      notRunFails: true,
      help: false,
    });
    expect(parse("--sim").mode).toBe("sim");
    expect(parse("--rig", "r.yaml", "-h").help).toBe(true);
  });

  it("resolves --rig and --reports against INIT_CWD", () => {
    const a = parse("--rig", "rig.yaml", "--reports", "out", "--only", "band-*");
    expect(a).toMatchObject({
      mode: "rig",
      rigConfig: "/home/eng/bench/rig.yaml",
      reports: "/home/eng/bench/out",
      only: "band-*",
    });
    expect(parse("--rig", "/etc/rig.yaml").rigConfig).toBe("/etc/rig.yaml");
  });

  it("allows --allow-not-run on a rig only", () => {
    expect(parse("--rig", "r.yaml", "--allow-not-run").notRunFails).toBe(false);
    expect(() => parse("--allow-not-run")).toThrow(/in --sim every scenario must run/);
  });

  it("refuses unknown arguments, missing values and --sim with --rig", () => {
    expect(() => parse("--rgi", "x")).toThrow("unknown option --rgi (did you mean --rig?)");
    expect(() => parse("--rig")).toThrow(/--rig needs a value/);
    expect(() => parse("--only", "--sim")).toThrow(/--only needs a value/);
    expect(() => parse("--sim", "--rig", "r.yaml")).toThrow(/exclude each other/);
  });
});

// The runner's verdicts: a pass, a fail, a NOT RUN (from the scenario or from building its
// context), an exception and a timeout; the context is always closed; the exit rule.
import { describe, expect, it } from "vitest";
import type { HilContext } from "../src/rig/context.js";
import {
  runFailed,
  runScenario,
  runSuite,
  selectScenarios,
  type ContextFactory,
} from "../src/runner/run-suite.js";
import { NotRunError, type Measurement, type Scenario } from "../src/scenario/types.js";

function scenario(name: string, run: () => Promise<Measurement>, timeoutMs = 1000): Scenario {
  return { name, title: name, device: "band", tolerance: { text: "±1" }, timeoutMs, run };
}

function factory(openFails?: Error) {
  const events: string[] = [];
  const f: ContextFactory = {
    mode: "sim",
    async open(s) {
      events.push(`open ${s.name}`);
      if (openFails) throw openFails;
      return {} as HilContext;
    },
    async close() {
      events.push("close");
    },
    async dispose() {
      events.push("dispose");
    },
  };
  return { f, events };
}

describe("runScenario", () => {
  it("reports pass and fail with measured value, tolerance and figures", async () => {
    const { f, events } = factory();
    const ok = await runScenario(
      scenario("a", async () => ({ measured: "99 steps", pass: true, figures: { steps: 99 } })),
      f,
    );
    expect(ok).toMatchObject({
      verdict: "passed",
      measured: "99 steps",
      tolerance: "±1",
      figures: { steps: 99 },
    });
    const bad = await runScenario(
      scenario("b", async () => ({ measured: "90", pass: false, detail: "off by 10" })),
      f,
    );
    expect(bad).toMatchObject({ verdict: "failed", measured: "90", detail: "off by 10" });
    expect(events).toEqual(["open a", "close", "open b", "close"]);
  });

  it("marks NotRunError as not run with its fix, from the scenario or its context", async () => {
    const { f } = factory();
    const r = await runScenario(
      scenario("c", async () => {
        throw new NotRunError("no BLE adapter", "plug one in");
      }),
      f,
    );
    expect(r).toMatchObject({ verdict: "not_run", detail: "no BLE adapter", fix: "plug one in" });
    const { f: broken, events } = factory(
      new NotRunError("no serial port /dev/ttyACM0", "set firmata.port"),
    );
    const r2 = await runScenario(
      scenario("d", async () => ({ measured: "x", pass: true })),
      broken,
    );
    expect(r2).toMatchObject({ verdict: "not_run", fix: "set firmata.port" });
    expect(events).toEqual(["open d"]);
  });

  it("fails on an exception and on the time limit, and still closes the context", async () => {
    const { f, events } = factory();
    const thrown = await runScenario(
      scenario("e", async () => {
        throw new TypeError("boom");
      }),
      f,
    );
    expect(thrown).toMatchObject({ verdict: "failed", detail: "TypeError: boom" });
    const slow = await runScenario(
      scenario("f", () => new Promise(() => undefined), 50),
      f,
    );
    expect(slow).toMatchObject({ verdict: "failed", detail: "timed out after 50 ms" });
    expect(events.filter((e) => e === "close")).toHaveLength(2);
    const capped = await runScenario(
      scenario("h", () => new Promise(() => undefined), 60_000),
      f,
      {
        timeoutCapMs: 30,
      },
    );
    expect(capped.detail).toBe("timed out after 30 ms");
  });
});

describe("problems the mode saw", () => {
  it("fail a scenario that measured a pass", async () => {
    const { f } = factory();
    f.problems = () => ["threw at 09:00: TypeError: x is undefined"];
    const r = await runScenario(
      scenario("g", async () => ({ measured: "100", pass: true, detail: "ok" })),
      f,
    );
    expect(r).toMatchObject({
      verdict: "failed",
      detail: "ok; device: threw at 09:00: TypeError: x is undefined",
    });
  });
});

describe("runSuite", () => {
  it("runs in order, releases the rig and applies the exit rule", async () => {
    const { f, events } = factory();
    const report = await runSuite(
      [
        scenario("one", async () => ({ measured: "1", pass: true })),
        scenario("two", async () => {
          throw new NotRunError("x", "y");
        }),
      ],
      f,
    );
    expect(report.results.map((r) => r.verdict)).toEqual(["passed", "not_run"]);
    expect(events[events.length - 1]).toBe("dispose");
    expect(runFailed(report, true)).toBe(true);
    expect(runFailed(report, false)).toBe(false);
    report.results[0]!.verdict = "failed";
    expect(runFailed(report, false)).toBe(true);
  });

  it("selects by name and wildcard, and names the known scenarios on a typo", () => {
    const all = ["band-a", "band-b", "classroom-c"].map((n) =>
      scenario(n, async () => ({ measured: "", pass: true })),
    );
    expect(selectScenarios(all, "band-*").map((s) => s.name)).toEqual(["band-a", "band-b"]);
    expect(selectScenarios(all, "classroom-c, band-a").map((s) => s.name)).toEqual([
      "band-a",
      "classroom-c",
    ]);
    expect(() => selectScenarios(all, "bnad-*")).toThrow(/known: band-a, band-b, classroom-c/);
  });
});

import { describe, expect, it } from "vitest";
import { didYouMean, editDistance, nearestName } from "../../src/cli/did-you-mean.js";

describe("did you mean", () => {
  it("edit distance counts inserts, deletes, substitutions and swaps", () => {
    expect(editDistance("broker", "broker")).toBe(0);
    expect(editDistance("brokr", "broker")).toBe(1);
    expect(editDistance("borker", "broker")).toBe(1);
    expect(editDistance("Metrics", "metrcs")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("suggests a near name, nothing for a far one", () => {
    const keys = ["broker", "metrics", "sources", "stateDir"];
    expect(nearestName("brokr", keys)).toBe("broker");
    expect(nearestName("statedir", keys)).toBe("stateDir");
    expect(nearestName("zzzz", keys)).toBeUndefined();
    expect(nearestName("sour", keys)).toBe("sources");
    expect(didYouMean("metrcs", keys)).toBe(' (did you mean "metrics"?)');
    expect(didYouMean("qqq", keys)).toBe("");
  });
});

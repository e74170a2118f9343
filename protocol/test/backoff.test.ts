import { describe, expect, it } from "vitest";
import { backoffDelay } from "../src/index.js";

describe("backoffDelay", () => {
  it("doubles the window from the minimum up to the cap, with the draw inside it", () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, 500, 4000, () => 1))).toEqual([
      500, 1000, 2000, 4000, 4000, 4000,
    ]);
    for (const a of [0, 3, 50, 1e9]) expect(backoffDelay(a, 500, 4000, () => 0)).toBe(500);
    expect(backoffDelay(2, 500, 4000, () => 0.5)).toBe(1250);
    expect(backoffDelay(-1, 500, 4000, () => 1)).toBe(500);
  });
});

// 32-bit frame counter reconstruction from the 16 bits on air.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyFcnt, fcntMsb, MAX_FCNT_GAP } from "../../src/lorawan/fcnt.js";

describe("classifyFcnt", () => {
  it("starts a never-heard device at the wire value", () => {
    expect(classifyFcnt(undefined, 7)).toEqual({ kind: "next", fCnt: 7 });
  });

  it("rolls over past 65535", () => {
    expect(classifyFcnt(65535, 0)).toEqual({ kind: "next", fCnt: 65536 });
    expect(classifyFcnt(0x1fff0, 0x0005)).toEqual({ kind: "next", fCnt: 0x20005 });
  });

  it("recognises the same counter, replays and gaps at the edges", () => {
    expect(classifyFcnt(70_000, 70_000 & 0xffff)).toEqual({ kind: "same", fCnt: 70_000 });
    expect(classifyFcnt(100, 100 + MAX_FCNT_GAP)).toEqual({
      kind: "next",
      fCnt: 100 + MAX_FCNT_GAP,
    });
    expect(classifyFcnt(100, 101 + MAX_FCNT_GAP).kind).toBe("gap");
    expect(classifyFcnt(65536 + 10, 65535)).toEqual({ kind: "replay", fCnt: 65535 });
    expect(classifyFcnt(5, 65530).kind).toBe("gap"); // not behind 0: ahead by too much
    expect(classifyFcnt(0xffffffff, 0).kind).toBe("gap"); // a 32-bit counter never wraps
  });

  it("inverts (last + d) for every last and every forward or backward step (20k)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MAX_FCNT_GAP, max: 0xffffffff - MAX_FCNT_GAP }),
        fc.integer({ min: -MAX_FCNT_GAP, max: MAX_FCNT_GAP }),
        (last, d) => {
          const c = classifyFcnt(last, (last + d) & 0xffff);
          expect(c.fCnt).toBe(last + d);
          expect(c.kind).toBe(d > 0 ? "next" : d === 0 ? "same" : "replay");
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it("gives lora-packet the high 16 bits little-endian", () => {
    expect([...fcntMsb(0x12345678)]).toEqual([0x34, 0x12]);
    expect([...fcntMsb(65535)]).toEqual([0, 0]);
  });
});

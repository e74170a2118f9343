// Semtech UDP sends only the low 16 bits of FCnt. A device first heard above 65535 (fresh install,
// lost gateway state) is found by a bounded search of the upper bits, limited by a budget so
// forged frames cannot turn it into a CPU sink; a device further out than the bound stays bad_mic.
import { describe, expect, it } from "vitest";
import { FIRST_CONTACT_MAX_FCNT, SearchBudget } from "../../src/lorawan/first-contact.js";
import { openDataUplink } from "../../src/lorawan/uplink.js";
import { buildUplink, newSession, uplinkVectors } from "./support/lorawan-devices.js";
import { harness, pushOne, useSemtechHarness } from "./support/semtech-harness.js";

const READING = uplinkVectors.find((v) => v.fPort === 1)!.hex;

useSemtechHarness();

describe("semtech-udp: first contact above FCnt 65535", () => {
  it("accepts a device first heard at FCnt 70000 and continues from there", async () => {
    const dev = newSession();
    const h = await harness([dev]);
    expect(await pushOne(h, buildUplink(dev, { fCnt: 70_000, payload: READING }))).not.toBeNull();
    expect(h.source.stats().rejections).toEqual({});
    expect(h.frames.map((f) => f.lora!.fCnt)).toEqual([70_000]);
    expect(h.fcnt.last(dev.devEui)?.fCnt).toBe(70_000);
    await pushOne(h, buildUplink(dev, { fCnt: 70_001, payload: READING }));
    expect(h.frames.map((f) => f.lora!.fCnt)).toEqual([70_000, 70_001]);
  });

  it("searches no further than FIRST_CONTACT_MAX_FCNT", () => {
    const dev = newSession();
    const sessions = { sessionsForDevAddr: () => [dev] };
    const at = (fCnt: number) =>
      openDataUplink(buildUplink(dev, { fCnt, payload: READING }), {
        sessions,
        lastFcnt: () => undefined,
        searchUpperBits: () => true,
      });
    expect(at(FIRST_CONTACT_MAX_FCNT)).toMatchObject({
      ok: true,
      value: { fCnt: FIRST_CONTACT_MAX_FCNT },
    });
    expect(at(FIRST_CONTACT_MAX_FCNT + 1)).toMatchObject({ ok: false, reason: "bad_mic" });
  });

  it("spends the search budget only on first contact, and refuses to search when it is spent", () => {
    const dev = newSession();
    const forged = buildUplink(dev, { fCnt: 3, payload: READING, nwkSKey: new Uint8Array(16) });
    const genuine = buildUplink(dev, { fCnt: 70_000, payload: READING });
    let clock = 0;
    const budget = new SearchBudget(5, 1, () => clock);
    const ctx = {
      sessions: { sessionsForDevAddr: () => [dev] },
      lastFcnt: () => undefined,
      searchUpperBits: () => budget.take(),
    };
    for (let i = 0; i < 5; i++)
      expect(openDataUplink(forged, ctx)).toMatchObject({ reason: "bad_mic" });
    // The flood spent the budget: the genuine frame is not searched for (counted, retried later).
    expect(openDataUplink(genuine, ctx)).toMatchObject({
      ok: false,
      reason: "fcnt_search_limited",
    });
    clock += 1000; // one search per second comes back
    expect(openDataUplink(genuine, ctx)).toMatchObject({ ok: true, value: { fCnt: 70_000 } });
    // A device with a known counter never searches (nothing to spend).
    const known = { ...ctx, lastFcnt: () => ({ fCnt: 69_999, mic: "00000000" }) };
    expect(openDataUplink(genuine, known)).toMatchObject({ ok: true, value: { fCnt: 70_000 } });
    expect(budget.available()).toBe(0);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import rewardsNode from "../../src/nodes/rewards-out.js";
import { collect, helper, until } from "../support/red-helper.js";
import { startRewardsApi, type RewardsApi } from "../support/rewards-api.js";

const P = "59cc44d2-a9bc-844c-93b7-a392bd9b5cb1";
let api: RewardsApi;
const flow = () => [
  {
    id: "r",
    type: "liot-rewards-out",
    url: api.url,
    backoffSeconds: "0.05",
    maxBackoffSeconds: "0.2",
    timeoutSeconds: "2",
    wires: [["ok"], ["refused"]],
  },
  { id: "ok", type: "helper" },
  { id: "refused", type: "helper" },
  { id: "c", type: "catch", scope: null, uncaught: false, wires: [["caught"]] },
  { id: "caught", type: "helper" },
];
const total = (date: string, steps: number, revision: number) => ({
  payload: { pseudonym: P, date, steps, revision, final: false },
});

beforeAll(async () => {
  api = await startRewardsApi();
});
afterAll(() => api.close());
afterEach(async () => {
  await helper.unload();
  api.calls.length = 0;
  api.accepted.clear();
  api.always = null;
  api.failNext = [];
});

describe("liot-rewards-out", () => {
  it("posts with an idempotency key and a bearer token, retrying 503 and network-level failures", async () => {
    api.failNext = [503, 500];
    await helper.load(rewardsNode, flow(), { r: { token: "s3cret" } });
    const ok = collect("ok");
    helper.getNode("r").receive(total("2026-03-10", 4000, 1));
    await until(() => ok.length === 1);
    expect(api.calls.map((c) => c.status)).toEqual([503, 500, 201]);
    expect(api.calls.every((c) => c.key === P + ":2026-03-10:r1")).toBe(true);
    expect(api.calls[0]!.authorization).toBe("Bearer s3cret");
    expect(api.accepted.get(P + ":2026-03-10:r1")).toEqual({
      pseudonym: P,
      date: "2026-03-10",
      steps: 4000,
      revision: 1,
      final: false,
    });
  });

  it("retries a 409 (same key still in progress) and takes the API's replay of a known key", async () => {
    api.failNext = [409];
    await helper.load(rewardsNode, flow());
    const ok = collect("ok");
    const refused = collect("refused");
    helper.getNode("r").receive(total("2026-03-11", 5000, 1));
    await until(() => ok.length === 1);
    expect(api.calls.map((c) => c.status)).toEqual([409, 201]);
    // the same total again (e.g. after a restart): same key, same body -> 200 replay, accepted
    helper.getNode("r").receive(total("2026-03-11", 5000, 1));
    await until(() => ok.length === 2);
    expect(api.calls.map((c) => c.status)).toEqual([409, 201, 200]);
    expect(refused).toEqual([]);
  });

  it("stops on a 4xx refusal, reports it on output 2 and as a catchable error", async () => {
    api.always = 422;
    await helper.load(rewardsNode, flow());
    const refused = collect("refused");
    const caught = collect("caught");
    helper.getNode("r").receive(total("2026-03-10", 4000, 1));
    await until(() => refused.length === 1 && caught.length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(api.calls).toHaveLength(1);
    expect((caught[0]!.error as { message: string }).message).toMatch(/refused .*HTTP 422/);
    const q = (helper.getNode("r") as unknown as { context(): { get(k: string): unknown[] } })
      .context()
      .get("queue");
    expect(q).toEqual([]);
  });

  it("keeps the queue in context while the API is down and sends it once the API is back", async () => {
    api.always = 503;
    await helper.load(rewardsNode, flow());
    helper.getNode("r").receive(total("2026-03-10", 4000, 1));
    helper.getNode("r").receive(total("2026-03-11", 5000, 1));
    await until(() => api.calls.length >= 2);
    const ctx = (
      helper.getNode("r") as unknown as { context(): { get(k: string): { key: string }[] } }
    ).context();
    expect(ctx.get("queue").map((q) => q.key)).toEqual([
      P + ":2026-03-10:r1",
      P + ":2026-03-11:r1",
    ]);
    api.always = null;
    await until(() => api.accepted.size === 2, 4000, "both accepted");
  });

  it("rejects an invalid day total", async () => {
    await helper.load(rewardsNode, flow());
    const caught = collect("caught");
    helper
      .getNode("r")
      .receive({ payload: { pseudonym: P, date: "2026-03-10", steps: -1, revision: 1 } });
    await until(() => caught.length === 1);
    expect((caught[0]!.error as { message: string }).message).toMatch(/steps/);
    expect(api.calls).toHaveLength(0);
  });
});

// What `npm run flows` and the demo tell a user when Node-RED cannot start, and what the demo's
// rewards stand-in answers. Real sockets and a real HTTP server; no Node-RED is needed for these.
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoRewardsApi, startNodeRed } from "../../scripts/start-node-red.mjs";

describe("Node-RED on a busy port", () => {
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", () => r()));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => taken.close(() => r())));

  it("names the port and the variable to change, before starting anything", async () => {
    const started = Date.now();
    await expect(startNodeRed({ port })).rejects.toThrow(
      new RegExp(`^port ${port} is already in use.*set LIOT_NODE_RED_PORT to a free port$`),
    );
    expect(Date.now() - started).toBeLessThan(5000); // refused up front, no Node-RED start-up wait
  });
});

describe("demo rewards stand-in", () => {
  let api: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    api = await startDemoRewardsApi(0, () => undefined);
  });
  afterAll(() => api.close());

  const post = (key: string, body: string) =>
    fetch(api.url, { method: "POST", headers: { "idempotency-key": key }, body });

  it("creates on the first POST, replays the same POST, refuses a changed body for a used key", async () => {
    expect((await post("k1", '{"steps":1}')).status).toBe(201);
    expect((await post("k1", '{"steps":1}')).status).toBe(200);
    expect((await post("k1", '{"steps":2}')).status).toBe(422);
  });

  it("answers any other method with 405 and Allow: POST", async () => {
    const r = await fetch(api.url);
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("POST");
  });
});

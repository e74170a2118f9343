// The page servers' shared part over real HTTP: a page's files with their security headers, 404
// for anything else, 500 naming the build command when a file is not built, and a taken port
// explained with the setting to change.
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageAssets } from "../../src/pages/page-assets.js";
import { listenOrExplain, pageRoutes, servePage } from "../../src/pages/serve-page.js";
import { tempDir } from "../support/gateway.js";

const tmp = tempDir("liot-serve-page-");
let server: Server;
let base: string;

beforeAll(async () => {
  const dir = join(tmp.dir, "pages");
  mkdirSync(dir);
  writeFileSync(join(dir, "demo.html"), "<p>demo</p>");
  writeFileSync(join(dir, "pages.css"), "p{}");
  // demo.js deliberately not built
  const page = { routes: pageRoutes("demo"), assets: pageAssets(dir), imgSrc: "'self' data:" };
  server = createServer((req, res) => servePage(req, res, req.url ?? "/", page));
  const port = await listenOrExplain(server, {
    host: "127.0.0.1",
    port: 0,
    what: "demo page",
    setting: "demo.port",
  });
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  tmp.dispose();
});

describe("servePage", () => {
  it("serves the page's HTML at / with no-store, a self-only policy, nosniff and no referrer", async () => {
    const res = await fetch(base + "/");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("<p>demo</p>");
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-security-policy")).toBe(
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'",
    );
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect((await fetch(base + "/pages.css")).headers.get("content-type")).toBe(
      "text/css; charset=utf-8",
    );
  });

  it("says how to build a file that is not built, and answers 404 off the routes or not GET", async () => {
    const missing = await fetch(base + "/demo.js");
    expect(missing.status).toBe(500);
    expect(await missing.text()).toBe(
      "the page is not built (demo.js): run `npm run build -w gateway`\n",
    );
    expect((await fetch(base + "/demo.html")).status).toBe(404);
    expect((await fetch(base + "/", { method: "POST" })).status).toBe(404);
    expect((await fetch(base + "/favicon.ico")).status).toBe(204);
  });
});

describe("listenOrExplain", () => {
  it("names what could not listen, where, why, and the setting to change", async () => {
    const port = Number(new URL(base).port);
    const other = createServer();
    await expect(
      listenOrExplain(other, { host: "127.0.0.1", port, what: "demo page", setting: "demo.port" }),
    ).rejects.toThrow(
      `demo page could not listen on 127.0.0.1:${port} (EADDRINUSE): set demo.port to a free port`,
    );
  });
});

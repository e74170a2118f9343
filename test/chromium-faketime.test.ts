/// <reference lib="dom" />
// Pages are driven in real Chromium on any date: under libfaketime the browser loads pages and runs
// timers, and shows the same shifted date as the test process, even when FAKETIME_DONT_FAKE_MONOTONIC
// (faketime --exclude-monotonic) is set, which on its own makes Chromium hang.
import { createServer, type Server } from "node:http";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumEnv, launchChromium } from "./support/chromium.js";

const DAY_MS = 86_400_000;
let server: Server;
let url = "";
let browser: Browser | null = null;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<p>wacht</p><script>setTimeout(() => (document.title = 'klaar'), 50)</script>");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const a = server.address();
  url = "http://127.0.0.1:" + (typeof a === "object" && a ? a.port : 0) + "/";
});

afterAll(async () => {
  if (browser) await browser.close();
  await new Promise<void>((r) => server.close(() => r()));
});

describe("Chromium under libfaketime", () => {
  it("keeps the shifted clock but never FAKETIME_DONT_FAKE_MONOTONIC", () => {
    const env = { LD_PRELOAD: "x/libfaketime.so.1", FAKETIME: "+1d", PATH: "/bin" };
    expect(chromiumEnv(env)).toBe(env);
    expect(chromiumEnv({ ...env, FAKETIME_DONT_FAKE_MONOTONIC: "1" })).toEqual(env);
  });

  it("loads a page, runs its timers and shows the test's date, with the monotonic clock excluded", async () => {
    // the suite's own faked clock when it runs under faketime (CI's second run), else 400 days ahead
    const shifted =
      process.env.FAKETIME !== undefined && /faketime/.test(process.env.LD_PRELOAD ?? "");
    browser = await launchChromium({
      ...process.env,
      LD_PRELOAD: shifted ? process.env.LD_PRELOAD : "/usr/$LIB/faketime/libfaketime.so.1",
      FAKETIME: shifted ? process.env.FAKETIME : "+400d",
      FAKETIME_DONT_FAKE_MONOTONIC: "1",
    });
    const page = await browser.newPage();
    await page.goto(url, { timeout: 20_000 });
    await page.waitForFunction(() => document.title === "klaar", null, { timeout: 10_000 });
    const pageNow = await page.evaluate(() => Date.now());
    const want = Date.now() + (shifted ? 0 : 400 * DAY_MS);
    expect(Math.abs(pageNow - want)).toBeLessThan(60_000);
  }, 60_000);
});

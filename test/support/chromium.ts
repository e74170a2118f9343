// Headless Debian Chromium through playwright-core, with the flags CI needs (no sandbox as root,
// no GPU, nothing fetched from the network behind the test's back). Every test that drives a page
// launches the browser here, so they all behave the same under libfaketime.
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Chromium's environment. Under libfaketime (CI's second run, or `faketime '+400 days' npm test`)
 * the browser keeps the shifted clock, so pages see the same date as the servers they talk to.
 * FAKETIME_DONT_FAKE_MONOTONIC is dropped for it: with Debian's libfaketime 0.9.10 it makes
 * Chromium's timed condition-variable waits (on CLOCK_MONOTONIC) hang, and every page.goto times
 * out; with both clocks shifted by the same offset Chromium runs normally.
 */
export function chromiumEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (!("FAKETIME_DONT_FAKE_MONOTONIC" in env)) return env;
  const out = { ...env };
  delete out.FAKETIME_DONT_FAKE_MONOTONIC;
  return out;
}

export function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, env: chromiumEnv(env) });
}

// The rig of the page tests (enrolment, "Kijk mee") in real headless Chromium: the pages built
// into dist/pages, the Web Bluetooth shim (browser/web-bluetooth-shim.ts) bundled, a real
// Mosquitto and gateway, and BLE stands (ble-stand.ts) holding firmware simulations in the room.
import { join } from "node:path";
import { build } from "esbuild";
import type { Simulation } from "@leiden-iot/firmware/sim";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium } from "../../../test/support/chromium.js";
import type { RunningGateway } from "../../src/gateway.js";
import { GATEWAY_ROOT, PAGES_DIST } from "../../src/pages/page-assets.js";
import { buildPages } from "../../src/pages/page-build.js";
import { startGatewayOnMosquitto, type GatewayOnMosquitto } from "../support/gateway.js";
import { BleStand, type StandDevice } from "./ble-stand.js";

export interface PageRig {
  readonly gw: RunningGateway;
  readonly browser: Browser;
  /** A started stand (the room's Bluetooth) with these devices in it; stopped with the rig. */
  stand(sims: Simulation[]): { stand: BleStand; devs: StandDevice[] };
  /** Every stand so far stops: their devices leave the room. */
  clearRoom(): void;
  /**
   * A tab (nl-NL, 900 px high; the page's console on stdout with LIOT_DEBUG_PAGE=1). With
   * `bluetooth`, its Web Bluetooth is the shim talking to that stand.
   */
  tab(o: {
    width: number;
    bluetooth?: BleStand | undefined;
    acceptDownloads?: boolean;
  }): Promise<{ ctx: BrowserContext; page: Page }>;
  stop(): Promise<void>;
}

/** The shim as an init script for a page. */
async function bundledShim(): Promise<string> {
  const out = await build({
    entryPoints: [join(GATEWAY_ROOT, "test/pages/browser/web-bluetooth-shim.ts")],
    bundle: true,
    write: false,
    format: "iife",
    target: "chrome110",
  });
  return out.outputFiles[0]!.text;
}

export async function startPageRig(
  prefix: string,
  config: (dir: string) => Record<string, unknown>,
): Promise<PageRig> {
  await buildPages(PAGES_DIST);
  const shim = await bundledShim();
  const running: GatewayOnMosquitto = await startGatewayOnMosquitto(prefix, config);
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (e) {
    await running.stop();
    throw e;
  }
  const stands: BleStand[] = [];
  const clearRoom = () => {
    for (const s of stands) s.stop();
  };
  return {
    gw: running.gw,
    browser,
    stand(sims) {
      const stand = new BleStand(running.gw.emit);
      stands.push(stand);
      const devs = sims.map((s) => stand.add(s));
      stand.start();
      return { stand, devs };
    },
    clearRoom,
    async tab(o) {
      const ctx = await browser.newContext({
        viewport: { width: o.width, height: 900 },
        locale: "nl-NL",
        ...(o.acceptDownloads ? { acceptDownloads: true } : {}),
      });
      const page = await ctx.newPage();
      if (process.env.LIOT_DEBUG_PAGE) {
        page.on("console", (m) => console.log("page:", m.text()));
        page.on("pageerror", (e) => console.log("page error:", e.message));
      }
      if (o.bluetooth) {
        await o.bluetooth.attach(page);
        await page.addInitScript(shim);
      }
      return { ctx, page };
    },
    async stop() {
      clearRoom();
      await browser.close();
      await running.stop();
    },
  };
}

// The "Kijk mee" page in real headless Chromium: over the Web Bluetooth shim to the firmware
// simulator running the shipped classroom bundle and its live-mode Storage module (a simulated
// SCD4x), and without Web Bluetooth from the dashboard's MQTT feed of a real gateway (Mosquitto,
// the pipeline hearing the same node's adverts).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { createSimulation, type Simulation } from "@leiden-iot/firmware/sim";
import { GATEWAY_ROOT } from "../../src/pages/page-assets.js";
import type { BleStand, StandDevice } from "../pages/ble-stand.js";
import { startPageRig, type PageRig } from "../pages/page-rig.js";
import { writeRegistry } from "../support/gateway.js";

const SHOTS = process.env.LIOT_UPDATE_SCREENSHOT === "1";
const DOCS = join(GATEWAY_ROOT, "docs");
const NODE_ID = 100002;

let rig: PageRig;

beforeAll(async () => {
  rig = await startPageRig("liot-kijk-mee-", (dir) => {
    // the fleet's ranges, and this node as the enrolment page records it: with its room
    const registry = writeRegistry(join(dir, "reg"), 20, 5);
    const file = parse(readFileSync(registry, "utf8")) as Record<string, unknown>;
    file.devices = [{ id: NODE_ID, kind: "classroom", room: "Groep 7b", enrolled: "2026-11-30" }];
    writeFileSync(registry, stringify(file));
    return { registry, kijkMee: { enabled: true, port: 0 } };
  });
}, 120_000);

afterAll(async () => {
  await rig?.stop();
});

function classroomNode(): Simulation {
  const sim = createSimulation({
    device: "classroom",
    start: Date.now() / 1000,
    deviceId: NODE_ID,
  });
  const cfg = JSON.parse(sim.storage.files["liot.cfg"]!) as Record<string, unknown>;
  sim.storage.set("liot.cfg", JSON.stringify({ ...cfg, room: "Groep 7b" }));
  sim.reload();
  sim.advance(70_000);
  return sim;
}

/** The digiboard: a tab (with or without Web Bluetooth) and the classroom node in the room. */
async function digiboard(
  o: { bluetooth: boolean; width?: number },
  sim = classroomNode(),
): Promise<{
  page: Page;
  ctx: BrowserContext;
  stand: BleStand;
  dev: StandDevice;
  sim: Simulation;
}> {
  rig.clearRoom(); // the previous test's node leaves the room (same id)
  const { stand, devs } = rig.stand([sim]);
  const dev = devs[0]!;
  const { ctx, page } = await rig.tab({
    width: o.width ?? 1280,
    bluetooth: o.bluetooth ? stand : undefined,
    acceptDownloads: true,
  });
  if (!o.bluetooth)
    // Firefox / Safari: no navigator.bluetooth at all
    await page.addInitScript(
      'Object.defineProperty(Navigator.prototype, "bluetooth", { get: () => undefined })',
    );
  await page.goto(rig.gw.kijkMee!.url);
  return { page, ctx, stand, dev, sim };
}

/** The teacher presses the node's button 1-3 s: live mode. */
function pressLive(stand: BleStand, sim: Simulation): void {
  sim.uart.holdButton(1500);
  stand.fastForward(2000);
}

const text = (page: Page, id: string) => page.locator("#" + id).innerText();
const points = (page: Page) =>
  page.evaluate(
    () =>
      (
        JSON.parse(
          (
            globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }
          ).sessionStorage.getItem("liot-kijk-mee") ?? "{}",
        ) as { points?: { co2: number }[] }
      ).points ?? [],
  );

describe("Kijk mee page in Chromium", () => {
  it("connects to the node in live mode and shows a breathing-on-sensor rise, with marks and a CSV", async () => {
    const { page, ctx, stand, sim } = await digiboard({ bluetooth: true });
    expect(await text(page, "browser")).toMatch(/Firefox en Safari/);
    pressLive(stand, sim);
    await page.click("#connect");
    await expect.poll(() => text(page, "room"), { timeout: 20_000 }).toBe("Lokaal Groep 7b");
    await expect.poll(() => text(page, "co2"), { timeout: 20_000 }).toBe("600");
    expect(await text(page, "temperature")).toBe("21,0");
    expect(await text(page, "source")).toBe("Live van het meetkastje");
    // a minute of quiet air, readings every 5 s
    for (let i = 0; i < 6; i++) {
      stand.fastForward(5000);
      await page.waitForTimeout(150);
    }
    // a child breathes on the sensor: the simulated SCD4x rises over 30 s
    for (let i = 1; i <= 6; i++) {
      sim.setCo2(600 + i * 250);
      stand.fastForward(5000);
      await page.waitForTimeout(150);
    }
    await expect.poll(() => text(page, "co2"), { timeout: 10_000 }).toBe("2100");
    await page.click("#open");
    for (let i = 1; i <= 6; i++) {
      sim.setCo2(2100 - i * 200);
      stand.fastForward(5000);
      await page.waitForTimeout(150);
    }
    await page.click("#closed");
    await expect.poll(() => text(page, "co2"), { timeout: 10_000 }).toBe("900");
    const co2 = (await points(page)).map((p) => p.co2);
    expect(co2.length).toBeGreaterThanOrEqual(18);
    expect(Math.max(...co2)).toBe(2100);
    expect(co2[0]).toBe(600);
    // the rise is in the chart's data in order (each reading once)
    const rise = co2.slice(co2.indexOf(850), co2.indexOf(2100) + 1);
    expect(rise).toEqual([850, 1100, 1350, 1600, 1850, 2100]);
    if (SHOTS) await page.screenshot({ path: join(DOCS, "kijk-mee-nl-1280.png"), fullPage: true });
    const download = page.waitForEvent("download");
    await page.click("#csv");
    const file = await (await download).path();
    const csv = readFileSync(file, "utf8").trim().split("\n");
    expect(csv[0]).toBe("time,co2_ppm,temperature_c,humidity_percent,signal,source,mark");
    expect(csv.filter((l) => l.endsWith(",raam open"))).toHaveLength(1);
    expect(csv.filter((l) => l.endsWith(",raam dicht"))).toHaveLength(1);
    expect(csv.some((l) => /,2100,21,45,\w+,bluetooth,$/.test(l))).toBe(true);
    // only the two live commands crossed the air
    expect(sim.uart.received.join("")).toBe("start\n");
    expect(sim.errors).toEqual([]);
    await page.click("#lang");
    expect(await text(page, "room")).toBe("Room Groep 7b");
    await page.click("#lang");
    // stop: the node leaves live mode and says so
    await page.click("#stop");
    await expect
      .poll(() => text(page, "message"), { timeout: 10_000 })
      .toMatch(/gestopt met meten/);
    expect(sim.uart.connectable()).toBe(false);
    await ctx.close();
  });

  it("out of range: a clear message, and Connect picks the stream up again", async () => {
    const { page, ctx, stand, dev, sim } = await digiboard({ bluetooth: true });
    pressLive(stand, sim);
    await page.click("#connect");
    await expect.poll(() => text(page, "co2"), { timeout: 20_000 }).toBe("600");
    dev.inRange = false;
    sim.uart.disconnect(dev.link!, "out of range");
    await expect
      .poll(() => text(page, "message"), { timeout: 10_000 })
      .toBe(
        "De verbinding met het meetkastje is weg. Is het te ver weg? Druk op Verbind om verder te kijken.",
      );
    dev.inRange = true;
    await page.click("#connect");
    await expect.poll(() => page.locator("#message").isHidden(), { timeout: 20_000 }).toBe(true);
    sim.setCo2(777);
    stand.fastForward(5000);
    await expect.poll(() => text(page, "co2"), { timeout: 10_000 }).toBe("777");
    await ctx.close();
  });

  it("a reload drops the link: the page keeps the chart and says to connect again", async () => {
    const { page, ctx, stand, sim } = await digiboard({ bluetooth: true });
    pressLive(stand, sim);
    await page.click("#connect");
    await expect.poll(() => text(page, "co2"), { timeout: 20_000 }).toBe("600");
    await page.reload();
    await expect
      .poll(() => text(page, "message"))
      .toBe(
        "De pagina is opnieuw geladen. Daardoor is de verbinding met het meetkastje weg. Druk op Verbind om verder te kijken.",
      );
    expect((await points(page)).length).toBeGreaterThan(0);
    await page.click("#connect");
    await expect.poll(() => page.locator("#message").isHidden(), { timeout: 20_000 }).toBe(true);
    await ctx.close();
  });

  it("without Web Bluetooth: says which browsers lack it and shows the dashboard's MQTT readings", async () => {
    const sim = classroomNode();
    sim.setCo2(1111);
    const { page, ctx, stand } = await digiboard({ bluetooth: false }, sim);
    expect(await text(page, "browser")).toMatch(/^Deze browser heeft geen Web Bluetooth/);
    expect(await text(page, "browser")).toMatch(/Firefox en Safari \(ook op iPad en iPhone\)/);
    expect(await page.locator("#connect").isDisabled()).toBe(true);
    expect(await text(page, "source")).toBe("Van het dashboard");
    // the node's next readings reach the gateway as adverts, the dashboard's feed as MQTT
    for (let i = 0; i < 3; i++) {
      stand.fastForward(60_000);
      await page.waitForTimeout(300);
    }
    await expect.poll(() => text(page, "co2"), { timeout: 20_000 }).toBe("1111");
    // the room by the name the registry has for it (enrolment), not a pseudonym fragment
    expect(await page.locator("#rooms option").first().textContent()).toBe("Groep 7b");
    if (SHOTS)
      await page.screenshot({ path: join(DOCS, "kijk-mee-nl-1280-dashboard.png"), fullPage: true });
    await ctx.close();
  });
});

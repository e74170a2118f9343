// The enrolment page in real headless Chromium, against a real gateway (Mosquitto, SQLite, the
// pipeline) and simulated bands running the shipped firmware bundle, through a Web Bluetooth shim
// that is no kinder than hardware (../pages/browser/web-bluetooth-shim.ts, ../pages/ble-stand.ts).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { deriveDeviceKey, fromHex, nodeAes128, toHex } from "@leiden-iot/protocol";
import { createSimulation, type Simulation } from "@leiden-iot/firmware/sim";
import { GATEWAY_ROOT } from "../../src/pages/page-assets.js";
import { TEST_MASTER, writeRegistry } from "../support/gateway.js";
import type { BleStand, StandDevice } from "../pages/ble-stand.js";
import { startPageRig, type PageRig } from "../pages/page-rig.js";

const SHOTS = process.env.LIOT_UPDATE_SCREENSHOT === "1";
const DOCS = join(GATEWAY_ROOT, "docs");

let rig: PageRig;
let registryPath: string;
let session: { name: string; value: string } | null = null;

beforeAll(async () => {
  rig = await startPageRig("liot-enrol-page-", (dir) => {
    registryPath = writeRegistry(join(dir, "reg"), 256, 5);
    return { registry: registryPath, enrol: { enabled: true, port: 0 } };
  });
}, 120_000);

afterAll(async () => {
  await rig?.stop();
});

function newBand(): Simulation {
  return createSimulation({
    device: "band",
    start: Date.now() / 1000,
    provision: false,
    rtcSet: false,
  });
}

/** A desk: a browser tab with the shim, a stand with the given devices, the staff session. */
async function desk(
  sims: Simulation[],
  width = 1280,
): Promise<{ page: Page; ctx: BrowserContext; stand: BleStand; devs: StandDevice[] }> {
  const { stand, devs } = rig.stand(sims);
  const { ctx, page } = await rig.tab({ width, bluetooth: stand });
  if (session) {
    await ctx.addCookies([{ ...session, url: rig.gw.enrol!.url }]);
    await page.goto(rig.gw.enrol!.url);
  } else {
    await page.goto(rig.gw.enrol!.adminLink);
    await page.waitForURL((u) => u.hash === "");
    await expect.poll(async () => (await ctx.cookies()).length).toBe(1);
    const c = (await ctx.cookies())[0]!;
    session = { name: c.name, value: c.value };
  }
  await page.waitForSelector("#s2.current");
  return { page, ctx, stand, devs };
}

const statusText = (page: Page) => page.locator("#status").innerText();
const messageText = (page: Page) => page.locator("#message").innerText();

function registeredIds(): number[] {
  const doc = parse(readFileSync(registryPath, "utf8")) as { devices?: { id: number }[] };
  return (doc.devices ?? []).map((d) => d.id);
}

function storedConfig(sim: Simulation): { id: number; key: string } | null {
  const t = sim.storage.files["liot.cfg"];
  return t ? (JSON.parse(t) as { id: number; key: string }) : null;
}

const keyOf = (id: number) => toHex(deriveDeviceKey(nodeAes128, fromHex(TEST_MASTER)!, id));

let enrolledBand: { sim: Simulation; id: number } | null = null;

describe("enrolment page in Chromium", () => {
  it('a new band: "Koppel bandje" -> "Bandje 257 werkt" once the gateway accepted its first authenticated advert', async () => {
    const sim = newBand();
    const { page, ctx, stand } = await desk([sim]);
    expect(await page.locator("#browser").innerText()).toMatch(/Firefox en Safari/);
    if (SHOTS)
      await page.screenshot({ path: join(DOCS, "enrol-nl-1280-start.png"), fullPage: true });
    const t0 = Date.now();
    await page.click("#connect");
    await expect.poll(() => statusText(page), { timeout: 25_000 }).toBe("Bandje 257 werkt");
    const seconds = (Date.now() - t0) / 1000;
    expect(seconds).toBeLessThan(60);
    expect(await page.locator("#labelId").innerText()).toBe("Bandje 257");
    expect(await page.locator("#labelDate").innerText()).toMatch(/^\d{4}-\d\d-\d\d$/);
    // the band holds its id and derived key; the registry has it; the master key never crossed
    expect(storedConfig(sim)).toMatchObject({ id: 257, key: keyOf(257) });
    expect(registeredIds()).toEqual([257]);
    expect(sim.uart.received.join("")).not.toContain(TEST_MASTER);
    expect(sim.uart.security).toMatchObject({ lesc: 1, encryptUart: 1 });
    expect(sim.errors).toEqual([]);
    expect(stand.log.filter((op) => op === "request")).toHaveLength(1);
    if (SHOTS) await page.screenshot({ path: join(DOCS, "enrol-nl-1280.png"), fullPage: true });
    await page.click("#lang");
    expect(await statusText(page)).toBe("Band 257 works");
    if (SHOTS) await page.screenshot({ path: join(DOCS, "enrol-en-1280.png"), fullPage: true });
    await page.click("#lang");
    await ctx.close();
    enrolledBand = { sim, id: 257 };
    console.log(`enrolment page: new band to "werkt" in ${seconds.toFixed(1)} s`);
  });

  it("the chooser closed: a plain message, nothing handed out or recorded", async () => {
    const sim = newBand();
    const { page, ctx, stand } = await desk([sim]);
    stand.chooser = "cancel";
    const before = registeredIds();
    await page.click("#connect");
    await expect
      .poll(() => messageText(page))
      .toBe("Je hebt geen bandje gekozen. Probeer het opnieuw.");
    expect(await page.locator("#connect").isEnabled()).toBe(true);
    expect(registeredIds()).toEqual(before);
    expect(storedConfig(sim)).toBeNull();
    await ctx.close();
  });

  it("out of range in the middle of the write: nothing stored or recorded; the next try enrols with a fresh id", async () => {
    const sim = newBand();
    const { page, ctx, stand, devs } = await desk([sim], 390);
    stand.cutWhenWritten = "liot.enrol";
    const before = registeredIds();
    await page.click("#connect");
    await expect
      .poll(() => messageText(page), { timeout: 20_000 })
      .toMatch(/^De verbinding viel weg|^Het bandje antwoordt niet/);
    expect(storedConfig(sim)).toBeNull();
    expect(registeredIds()).toEqual(before);
    if (SHOTS)
      await page.screenshot({ path: join(DOCS, "enrol-nl-390-error.png"), fullPage: true });
    devs[0]!.inRange = true;
    await page.click("#connect");
    await expect.poll(() => statusText(page), { timeout: 30_000 }).toMatch(/^Bandje \d+ werkt$/);
    const id = Number((await statusText(page)).split(" ")[1]);
    expect(storedConfig(sim)).toMatchObject({ id, key: keyOf(id) });
    // the id handed out for the cut attempt is never recorded (and never handed out again)
    expect(registeredIds()).toEqual([...before, id]);
    expect(id).toBeGreaterThan(Math.max(...before) + 1);
    if (SHOTS) await page.screenshot({ path: join(DOCS, "enrol-nl-390.png"), fullPage: true });
    await ctx.close();
  });

  it("answer lost and the page reloaded halfway: after a long press the page finds the id on the band and records it once", async () => {
    const sim = newBand();
    const { page, ctx, stand, devs } = await desk([sim]);
    stand.loseAnswerWith = '"ok":true';
    const before = registeredIds();
    await page.click("#connect");
    await expect
      .poll(() => messageText(page), { timeout: 20_000 })
      .toMatch(/^De verbinding viel weg|^Het bandje antwoordt niet/);
    await expect.poll(() => storedConfig(sim)?.id ?? null).not.toBeNull();
    const id = storedConfig(sim)!.id;
    expect(registeredIds()).toEqual(before); // the band has it, the registry not yet
    await page.reload();
    await expect
      .poll(() => messageText(page))
      .toMatch(new RegExp(`bandje ${id} is niet afgemaakt`));
    // the band restarted enrolled (not connectable): staff hold the button 3 s
    devs[0]!.inRange = true;
    sim.uart.holdButton(3500);
    await expect.poll(() => sim.uart.connectable(), { timeout: 10_000 }).toBe(true);
    await page.click("#connect");
    await expect
      .poll(() => page.locator("#labelId").innerText(), { timeout: 20_000 })
      .toBe(`Bandje ${id}`);
    expect(registeredIds()).toEqual([...before, id]);
    // its adverts are held back while the 2-minute window is open; then the gateway hears it
    stand.fastForward(125_000);
    await expect.poll(() => statusText(page), { timeout: 20_000 }).toBe(`Bandje ${id} werkt`);
    await ctx.close();
  });

  it("an enrolled band is only enrolled again after an explicit reset, with a new id", async () => {
    const { sim, id: old } = enrolledBand!;
    sim.uart.holdButton(3500);
    await new Promise((r) => setTimeout(r, 200));
    const { page, ctx } = await desk([sim]);
    await expect.poll(() => sim.uart.connectable(), { timeout: 10_000 }).toBe(true);
    await page.click("#connect");
    await page.waitForSelector("#reset:not([hidden])", { timeout: 20_000 });
    expect(await page.locator("#resetTitle").innerText()).toBe(
      `Dit bandje is al gekoppeld (bandje ${old}).`,
    );
    expect(await page.locator("#resetButton").isDisabled()).toBe(true);
    if (SHOTS)
      await page.screenshot({ path: join(DOCS, "enrol-nl-1280-reset.png"), fullPage: true });
    expect(storedConfig(sim)!.id).toBe(old);
    await page.check("#resetCheck");
    await page.click("#resetButton");
    await expect.poll(() => statusText(page), { timeout: 30_000 }).toMatch(/^Bandje \d+ werkt$/);
    const id = Number((await statusText(page)).split(" ")[1]);
    expect(id).not.toBe(old);
    expect(storedConfig(sim)).toMatchObject({ id, key: keyOf(id) });
    // the page asked the band for a reset (which erases the previous wearer's days)
    expect(sim.uart.received.join("")).toContain('"reset":true');
    expect(registeredIds()).toContain(id);
    await ctx.close();
  });

  it("a classroom node asks for a room (a name with quotes is refused) and then works", async () => {
    const sim = createSimulation({
      device: "classroom",
      start: Date.now() / 1000,
      provision: false,
    });
    const { page, ctx } = await desk([sim]);
    await page.click("#connect");
    await page.waitForSelector("#roomBox:not([hidden])", { timeout: 20_000 });
    await page.fill("#room", 'Groep "7"');
    await page.click("#roomButton");
    await expect.poll(() => messageText(page)).toMatch(/^Gebruik 1 tot 24 letters/);
    expect(storedConfig(sim)).toBeNull();
    await page.fill("#room", "Groep 7b");
    await page.click("#roomButton");
    await expect.poll(() => statusText(page), { timeout: 30_000 }).toBe("Meetkastje 100005 werkt");
    expect(JSON.parse(sim.storage.files["liot.cfg"]!)).toMatchObject({
      id: 100005,
      room: "Groep 7b",
      deveui: "024c494f000186a5",
    });
    expect(registeredIds()).toContain(100005);
    // the registry keeps the room (the Kijk mee page names the feed's rooms by it)
    const doc = parse(readFileSync(registryPath, "utf8")) as { devices: { id: number }[] };
    expect(doc.devices.find((d) => d.id === 100005)).toMatchObject({ room: "Groep 7b" });
    expect(rig.gw.registry.byId(100005)?.room).toBe("Groep 7b");
    await ctx.close();
  });

  it("a wrong or used token gets a clear message and no way to connect", async () => {
    const ctx = await rig.browser.newContext();
    const page = await ctx.newPage();
    await page.goto(rig.gw.enrol!.url + "#token=wrongwrongwrongwrongwrong");
    await expect
      .poll(() => messageText(page))
      .toBe("Deze link klopt niet. Gebruik de link die de gateway bij het starten gaf.");
    expect(await page.locator("#connect").isDisabled()).toBe(true);
    await page.goto(rig.gw.enrol!.adminLink);
    await page.reload();
    await expect.poll(() => messageText(page)).toMatch(/^Geen toegang|^Deze link is al gebruikt/);
    await ctx.close();
  });
});

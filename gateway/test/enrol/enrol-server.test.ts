// The enrolment API against a real gateway (real Mosquitto, real SQLite, the real pipeline): the
// one-time token, next free id and derived key, recording in the registry only after the band
// stored it, "works" only after an authenticated advert, bad input, re-enrolment needs a reset.
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkEnrolment } from "@leiden-iot/firmware/enrol";
import {
  deriveDeviceKey,
  devEuiOf,
  deviceConfig,
  fromHex,
  nodeAes128,
  toHex,
} from "@leiden-iot/protocol";
import type { RunningGateway } from "../../src/gateway.js";
import {
  startGatewayOnMosquitto,
  TEST_MASTER,
  writeRegistry,
  type GatewayOnMosquitto,
} from "../support/gateway.js";
import { bandAdvertFrame } from "../support/frames.js";
import { EnrolClient, NEW_BAND } from "./support.js";

let running: GatewayOnMosquitto;
let gw: RunningGateway;
let registryPath: string;

beforeAll(async () => {
  running = await startGatewayOnMosquitto("liot-enrol-api-", (dir) => {
    registryPath = writeRegistry(join(dir, "reg"), 256, 5);
    return { registry: registryPath, enrol: { enabled: true, port: 0 } };
  });
  gw = running.gw;
});
afterAll(async () => {
  await running?.stop();
});

function tokenOf(link: string): string {
  return new URL(link).hash.replace("#token=", "");
}

async function session(): Promise<EnrolClient> {
  const c = new EnrolClient(gw.enrol!.url);
  expect((await c.call("GET", "/api/session")).status).toBe(200);
  return c;
}

describe("enrolment API", () => {
  let c: EnrolClient;

  it("the admin token works once; without a session or the API header nothing is handed out", async () => {
    const link = gw.enrol!.adminLink;
    expect(link).toMatch(/^http:\/\/localhost:\d+\/#token=[A-Za-z0-9_-]{24}$/);
    c = new EnrolClient(gw.enrol!.url);
    expect(await c.call("POST", "/api/enrolments", { device: NEW_BAND })).toMatchObject({
      status: 401,
      body: { error: "no_session" },
    });
    expect(
      await c.call("POST", "/api/session", { token: "x" + tokenOf(link).slice(1) }),
    ).toMatchObject({ status: 401, body: { error: "bad_token" } });
    expect(await c.call("POST", "/api/session", { token: tokenOf(link) })).toMatchObject({
      status: 200,
    });
    expect(c.cookie).toMatch(/^liot_enrol=/);
    const other = new EnrolClient(gw.enrol!.url);
    expect(await other.call("POST", "/api/session", { token: tokenOf(link) })).toMatchObject({
      status: 401,
      body: { error: "token_used" },
    });
    expect(
      await c.call("POST", "/api/enrolments", { device: NEW_BAND }, { "x-liot-enrol": "" }),
    ).toMatchObject({ status: 403, body: { error: "csrf" } });
    // DNS rebinding: a page on another name that resolves to 127.0.0.1 gets nothing
    const port = Number(new URL(gw.enrol!.url).port);
    const status = await new Promise<number>((resolve, reject) =>
      request(
        {
          host: "127.0.0.1",
          port,
          path: "/api/session",
          headers: { host: "attacker.example", cookie: c.cookie },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
        .on("error", reject)
        .end(),
    );
    expect(status).toBe(421);
  });

  it("hands out 257 with its derived key (what the firmware accepts), records it only once the band stored it, works after its first authenticated advert", async () => {
    c = await sessionOf(c);
    const r = await c.call("POST", "/api/enrolments", { device: NEW_BAND });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ id: 257, kind: "band", state: "reserved" });
    const req = r.body.request as Record<string, unknown>;
    expect(req.key).toBe(toHex(deriveDeviceKey(nodeAes128, fromHex(TEST_MASTER)!, 257)));
    expect(JSON.stringify(r.body)).not.toContain(TEST_MASTER);
    expect(checkEnrolment("band", req, null)).toMatchObject({ ok: true, id: 257 });
    // not in the registry yet: its adverts are refused, the file is unchanged
    expect(await gw.emit(bandAdvertFrame(257, 1))).toMatchObject({
      status: "rejected",
      reason: "unknown_device",
    });
    expect(readFileSync(registryPath, "utf8")).not.toContain("257");
    expect(await c.call("POST", "/api/enrolments/257/stored")).toMatchObject({
      status: 200,
      body: { state: "enrolled" },
    });
    const file = parse(readFileSync(registryPath, "utf8")) as { devices: { id: number }[] };
    expect(file.devices).toEqual([expect.objectContaining({ id: 257, kind: "band" })]);
    expect((await c.call("GET", "/api/enrolments/257")).body.state).toBe("enrolled");
    expect(await gw.emit(bandAdvertFrame(257, 2))).toMatchObject({ status: "accepted" });
    const s = await c.call("GET", "/api/enrolments/257");
    expect(s.body).toMatchObject({ state: "works", label: { id: 257 } });
    expect((s.body.label as { date: string }).date).toMatch(/^\d{4}-\d\d-\d\d$/);
  });

  it("bad input gets a clear message naming the field", async () => {
    c = await sessionOf(c);
    const bad = await c.call("POST", "/api/enrolments", {
      device: { ...NEW_BAND, kind: "toaster" },
    });
    expect(bad).toMatchObject({ status: 400, body: { error: "bad_request" } });
    expect(bad.body.message).toMatch(/^device\.kind:/);
    expect(await c.call("POST", "/api/enrolments", "{not json")).toMatchObject({
      status: 400,
      body: { message: "body is not JSON" },
    });
    expect(await c.call("POST", "/api/enrolments/99999999/stored")).toMatchObject({
      status: 404,
      body: { error: "unknown_id" },
    });
    const room = await c.call("POST", "/api/enrolments", {
      device: { ...NEW_BAND, kind: "classroom" },
      room: 'Groep "7"',
    });
    expect(room.status).toBe(400);
    expect(room.body.message).toMatch(/^room: 1 to 24 letters, digits or signs/);
    const preset = await c.call("POST", "/api/enrolments", {
      device: { ...NEW_BAND, kind: "classroom" },
      room: "Groep 7",
      preset: "frisse-scholen-z",
    });
    expect(preset.status).toBe(400);
    expect(preset.body.message).toMatch(/^preset: one of bouwbesluit \/ default, frisse-scholen-a/);
  });

  it("a classroom request carries exactly the liot.cfg fields npm run provision writes", async () => {
    c = await sessionOf(c);
    const r = await c.call("POST", "/api/enrolments", {
      device: { ...NEW_BAND, kind: "classroom" },
      room: "Groep 7",
      preset: "frisse-scholen-b",
    });
    expect(r.status).toBe(201);
    const request = r.body.request as Record<string, unknown>;
    const id = r.body.id as number;
    const provisioned = deviceConfig({
      device: "classroom",
      deviceId: id,
      masterKey: fromHex(TEST_MASTER)!,
      preset: "frisse-scholen-b",
      aes: nodeAes128,
    });
    expect(request).toMatchObject({ ...provisioned, room: "Groep 7" });
    expect(provisioned.deveui).toBe(devEuiOf(id));
    await c.call("POST", `/api/enrolments/${id}/cancel`);
  });

  it("an enrolled band needs an explicit reset; a cancelled id is never recorded or handed out again", async () => {
    c = await sessionOf(c);
    const enrolled = { kind: "band", enrolled: true, id: 257, fw: 1 };
    expect(await c.call("POST", "/api/enrolments", { device: enrolled })).toMatchObject({
      status: 409,
      body: { error: "needs_reset", id: 257 },
    });
    const r = await c.call("POST", "/api/enrolments", { device: enrolled, reset: true });
    expect(r).toMatchObject({ status: 201, body: { id: 258, replaces: 257 } });
    expect((r.body.request as { reset?: boolean }).reset).toBe(true);
    expect(await c.call("POST", "/api/enrolments/258/cancel")).toMatchObject({
      body: { state: "cancelled" },
    });
    expect(await c.call("POST", "/api/enrolments/258/stored")).toMatchObject({ status: 409 });
    expect(readFileSync(registryPath, "utf8")).not.toContain("258");
    expect((await c.call("POST", "/api/enrolments", { device: NEW_BAND })).body.id).toBe(259);
  });
});

/** The client of the first test (its session), or a fresh one when a test runs alone. */
async function sessionOf(c: EnrolClient | undefined): Promise<EnrolClient> {
  if (c && c.cookie) return c;
  return session();
}

describe("enrol config", () => {
  it("is off by default; a non-loopback host is refused with the field and the reason", async () => {
    const { resolveConfig } = await import("../../src/config/load.js");
    expect(resolveConfig({}, {}).enrol).toMatchObject({ enabled: false, host: "127.0.0.1" });
    expect(() => resolveConfig({ enrol: { enabled: true, host: "0.0.0.0" } }, {})).toThrow(
      /enrol\.host.*localhost/,
    );
  });
});

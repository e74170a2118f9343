// The enrolment page's HTTP server (its own port, loopback only; see enrol-config.ts). A one-time
// admin token, printed by the gateway, is exchanged for a session cookie; the API then hands out
// the next free id with its derived key, records the enrolment in the registry once the band has
// stored it (file, running registry, ephemeral-id tables), and reports "works" once the pipeline
// accepted that device's first authenticated frame.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync, writeFileSync, renameSync, mkdirSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse, type Server } from "node:http";
import { join, dirname } from "node:path";
import type { Logger } from "pino";
import {
  CO2_PRESETS,
  ROOM_NAME_MAX,
  devEuiOf,
  findCo2Preset,
  validRoomName,
} from "@leiden-iot/protocol";
import { z } from "zod";
import type { MemoryRegistry } from "../registry/registry.js";
import { EnrolBook, type Enrolment, type EnrolKind } from "./enrol-book.js";
import type { EnrolConfig } from "./enrol-config.js";
import { enrolRequest, labelDate } from "./enrol-request.js";
import { recordInRegistry } from "./registry-record.js";
import type { PageAssets } from "../pages/page-assets.js";
import { listenOrExplain, pageRoutes, servePage } from "../pages/serve-page.js";

const ENROL_ROUTES = pageRoutes("enrol");

export interface EnrolServerOptions {
  config: EnrolConfig;
  registry: MemoryRegistry;
  registryPath: string;
  /** Adds a device to the pipeline's ephemeral-id tables. */
  registerEid: (id: number, key: Uint8Array) => void;
  stateDir: string;
  assets: PageAssets;
  log: Logger;
  now?: () => number;
}

export interface EnrolServer {
  /** http://localhost:<port>/ (localhost: Web Bluetooth needs a secure context). */
  url: string;
  /** The link with the one-time token, for staff (printed once by the gateway). */
  adminLink: string;
  /** The pipeline accepted a frame from this device. */
  accepted(deviceId: number, at: number): void;
  close(): Promise<void>;
}

const API_HEADER = "x-liot-enrol";
const COOKIE = "liot_enrol";
const MAX_BODY = 4096;

/** A request the client got wrong (400); anything else thrown is the gateway's problem (500). */
class BadRequest extends Error {}

const deviceInfo = z.object({
  kind: z.enum(["band", "classroom"]),
  enrolled: z.boolean(),
  id: z.number().int().min(0).max(0xffffffff).nullable(),
  fw: z.number().int().min(1),
});
const reserveBody = z.object({
  device: deviceInfo,
  reset: z.boolean().default(false),
  room: z
    .string()
    .refine(validRoomName, `1 to ${ROOM_NAME_MAX} letters, digits or signs, no quotes or backslash`)
    .optional(),
  preset: z
    .string()
    .refine((p) => findCo2Preset(p) !== undefined, {
      message: `one of ${CO2_PRESETS.map((c) => [c.name, ...c.aliases].join(" / ")).join(", ")}`,
    })
    .optional(),
});

type Json = Record<string, unknown>;

function send(res: ServerResponse, status: number, body: Json): void {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new BadRequest("body too large (max 4 KB)"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      if (text.length === 0) return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new BadRequest("body is not JSON"));
      }
    });
    req.on("error", reject);
  });
}

function cookieOf(req: IncomingMessage): string | undefined {
  const h = req.headers.cookie;
  if (!h) return undefined;
  for (const part of h.split(";")) {
    const [k, v] = part.trim().split("=");
    if (k === COOKIE) return v;
  }
  return undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function view(e: Enrolment): Json {
  return {
    id: e.id,
    kind: e.kind,
    state: e.state,
    replaces: e.replaces,
    enrolledAt: e.enrolledAt,
    worksAt: e.worksAt,
    label: { id: e.id, date: labelDate(e.enrolledAt ?? e.reservedAt) },
  };
}

/** Persisted: the highest id handed out per kind, so a restart never hands one out twice. */
function loadLast(path: string): Partial<Record<EnrolKind, number>> {
  if (!existsSync(path)) return {};
  try {
    const v = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    const out: Partial<Record<EnrolKind, number>> = {};
    if (typeof v.band === "number") out.band = v.band;
    if (typeof v.classroom === "number") out.classroom = v.classroom;
    return out;
  } catch {
    return {};
  }
}

export async function startEnrolServer(o: EnrolServerOptions): Promise<EnrolServer> {
  const master = o.registry.masterKey;
  if (!master)
    throw new Error(
      "enrol.enabled needs a masterKey in the key registry: device keys derive from it",
    );
  const now = o.now ?? (() => Date.now() / 1000);
  const lastPath = join(o.stateDir, "enrol-ids.json");
  const registered = {
    ids: () => o.registry.ids(),
    kindOf: (id: number) => o.registry.byId(id)?.kind,
  };
  const book = new EnrolBook(registered, o.config.reserveMinutes * 60, loadLast(lastPath));
  /** Room names given at reservation, until the node stored its enrolment (then the registry has it). */
  const rooms = new Map<number, string>();
  const saveLast = () => {
    mkdirSync(dirname(lastPath), { recursive: true });
    writeFileSync(lastPath + ".tmp", JSON.stringify(book.last), { mode: 0o600 });
    renameSync(lastPath + ".tmp", lastPath);
  };

  let token: string | null = randomBytes(18).toString("base64url");
  let usedToken = "";
  const sessions = new Set<string>();
  let port = o.config.port;
  const hostOk = (req: IncomingMessage): boolean => {
    const h = req.headers.host ?? "";
    return [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`].includes(h);
  };

  const api = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const method = req.method ?? "GET";
    if (path === "/api/session" && method === "POST") {
      const body = (await readBody(req)) as { token?: unknown };
      if (token === null && typeof body.token === "string" && sameSecret(body.token, usedToken))
        return send(res, 401, {
          error: "token_used",
          message: "this link was used already: restart the gateway for a new one",
        });
      if (token === null || typeof body.token !== "string" || !sameSecret(body.token, token))
        return send(res, 401, {
          error: "bad_token",
          message: "wrong token: use the link the gateway printed",
        });
      usedToken = token;
      token = null;
      const s = randomBytes(18).toString("base64url");
      sessions.add(s);
      res.setHeader("set-cookie", `${COOKIE}=${s}; HttpOnly; SameSite=Strict; Path=/`);
      o.log.info("enrolment page: admin token used, session opened");
      return send(res, 200, { ok: true });
    }
    const s = cookieOf(req);
    if (!s || !sessions.has(s))
      return send(res, 401, {
        error: "no_session",
        message: "open the link with the token the gateway printed",
      });
    if (path === "/api/session" && method === "GET") return send(res, 200, { ok: true });

    if (path === "/api/enrolments" && method === "POST") {
      const parsed = reserveBody.safeParse(await readBody(req));
      if (!parsed.success) {
        const i = parsed.error.issues[0]!;
        return send(res, 400, {
          error: "bad_request",
          message: `${i.path.join(".") || "body"}: ${i.message}`,
        });
      }
      const b = parsed.data;
      const kind = b.device.kind;
      if (kind === "classroom" && !b.room)
        return send(res, 400, {
          error: "bad_request",
          message: "room: a classroom node needs a room name",
        });
      const t = now();
      const r = book.reserve(kind, b.device, b.reset, t);
      if (!r.ok)
        return send(res, 409, {
          error: "needs_reset",
          id: r.id,
          message: `this ${kind} is enrolled already (id ${r.id}); confirm a reset to enrol it again`,
        });
      saveLast();
      const e = r.enrolment;
      if (b.room) rooms.set(e.id, b.room);
      const request = enrolRequest(master, kind, e.id, {
        t,
        goal: o.config.goal,
        reset: b.reset && b.device.enrolled,
        ...(b.room ? { room: b.room } : {}),
        ...(b.preset ? { preset: b.preset } : {}),
      });
      o.log.info({ id: e.id, kind, replaces: e.replaces }, "enrolment: id handed out");
      return send(res, 201, { ...view(e), request });
    }

    const m = /^\/api\/enrolments\/(\d{1,10})(?:\/(stored|cancel))?$/.exec(path);
    if (m) {
      const id = Number(m[1]);
      const t = now();
      if (m[2] === "stored" && method === "POST") {
        const r = book.enrolled(id, t);
        if (!r.ok)
          return send(res, r.error === "unknown_id" ? 404 : 409, {
            error: r.error,
            message:
              r.error === "unknown_id"
                ? `id ${id} was not handed out by this gateway run`
                : `id ${id} is ${r.error}: start again`,
          });
        const e = r.enrolment;
        if (!o.registry.byId(id)) {
          const lora = e.kind === "classroom" ? { devEui: devEuiOf(id) } : undefined;
          const room = e.kind === "classroom" ? rooms.get(id) : undefined;
          const entry = { id, kind: e.kind, ...(lora ? { lora } : {}), ...(room ? { room } : {}) };
          recordInRegistry(o.registryPath, { ...entry, enrolled: labelDate(t) });
          o.registry.add(entry);
          rooms.delete(id);
          o.registerEid(id, o.registry.deviceKey(id)!);
          o.log.info({ id, kind: e.kind }, "enrolment: recorded in the key registry");
        }
        return send(res, 200, view(e));
      }
      if (m[2] === "cancel" && method === "POST") {
        const e = book.cancel(id, t);
        if (!e) return send(res, 404, { error: "unknown_id", message: `id ${id} is unknown` });
        return send(res, 200, view(e));
      }
      if (!m[2] && method === "GET") {
        const e = book.get(id, t);
        if (e) return send(res, 200, view(e));
        const d = o.registry.byId(id);
        if (d) return send(res, 200, { id, kind: d.kind, state: "registered" });
        return send(res, 404, { error: "unknown_id", message: `id ${id} is not in the registry` });
      }
    }
    return send(res, 404, { error: "not_found", message: `no API route ${method} ${path}` });
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    if (!hostOk(req)) {
      res.writeHead(421, { "content-type": "text/plain" });
      res.end(`open the page as http://localhost:${port}/ (this server answers only there)\n`);
      return;
    }
    if (path.startsWith("/api/")) {
      if (req.method !== "GET" && req.headers[API_HEADER] !== "1")
        return send(res, 403, {
          error: "csrf",
          message: `API calls need the ${API_HEADER} header`,
        });
      api(req, res, path).catch((e: Error) => {
        if (e instanceof BadRequest)
          return send(res, 400, { error: "bad_request", message: e.message });
        o.log.error({ err: e.message }, "enrolment API failed");
        send(res, 500, { error: "gateway", message: e.message });
      });
      return;
    }
    servePage(req, res, path, { routes: ENROL_ROUTES, assets: o.assets, imgSrc: "'self' data:" });
  });
  port = await listenOrExplain(server, {
    host: o.config.host,
    port: o.config.port,
    what: "enrolment page",
    setting: "enrol.port",
  });
  const url = `http://localhost:${port}/`;
  return {
    url,
    adminLink: `${url}#token=${token}`,
    accepted(deviceId, at) {
      if (book.heard(deviceId, at))
        o.log.info({ id: deviceId }, "enrolment: first authenticated frame accepted");
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

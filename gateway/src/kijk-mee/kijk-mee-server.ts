// The "Kijk mee" page's HTTP server (kijkMee.enabled, its own port): the page (dist/pages) and
// GET /feed, the dashboard's classroom readings as server-sent events for browsers without Web
// Bluetooth. The page itself talks to the classroom node over Web Bluetooth when it can.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { PageAssets } from "../pages/page-assets.js";
import { listenOrExplain, pageRoutes, servePage } from "../pages/serve-page.js";
import type { ClassroomFeed, FeedReading } from "./classroom-feed.js";
import type { KijkMeeConfig } from "./kijk-mee-config.js";

export const KIJK_MEE_ROUTES = pageRoutes("kijk-mee");

export interface KijkMeeServer {
  url: string;
  close(): Promise<void>;
}

function event(res: ServerResponse, name: string, data: unknown): void {
  res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
}

export async function startKijkMeeServer(o: {
  config: KijkMeeConfig;
  feed: ClassroomFeed;
  assets: PageAssets;
  log: Logger;
}): Promise<KijkMeeServer> {
  const streams = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method !== "GET") {
      res.writeHead(405, { "content-type": "text/plain" });
      res.end("only GET\n");
      return;
    }
    if (path === "/feed") {
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        connection: "keep-alive",
        "x-content-type-options": "nosniff",
      });
      event(res, "hello", { broker: o.feed.connected });
      for (const r of o.feed.recent()) event(res, "reading", r);
      const off = o.feed.onReading((r: FeedReading) => event(res, "reading", r));
      const ping = setInterval(() => res.write(": ping\n\n"), 15_000);
      streams.add(res);
      req.on("close", () => {
        off();
        clearInterval(ping);
        streams.delete(res);
      });
      return;
    }
    // blob: too: the page makes blob: URLs (the CSV download)
    servePage(req, res, path, {
      routes: KIJK_MEE_ROUTES,
      assets: o.assets,
      imgSrc: "'self' data: blob:",
    });
  });
  const port = await listenOrExplain(server, {
    host: o.config.host,
    port: o.config.port,
    what: "Kijk mee page",
    setting: "kijkMee.port",
  });
  const host =
    o.config.host === "127.0.0.1" || o.config.host === "::1" ? "localhost" : o.config.host;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}/`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of streams) s.end();
        server.close(() => r());
      }),
  };
}

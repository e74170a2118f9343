// The "Kijk mee" page's HTTP server (kijkMee.enabled, its own port): the page (dist/pages) and
// GET /feed, the dashboard's classroom readings as server-sent events for browsers without Web
// Bluetooth. The page itself talks to the classroom node over Web Bluetooth when it can.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { PageAssets } from "../enrol/page-assets.js";
import type { ClassroomFeed, FeedReading } from "./classroom-feed.js";
import type { KijkMeeConfig } from "./kijk-mee-config.js";

export const KIJK_MEE_ROUTES: Record<string, { file: string; type: string }> = {
  "/": { file: "kijk-mee.html", type: "text/html; charset=utf-8" },
  "/kijk-mee.js": { file: "kijk-mee.js", type: "text/javascript; charset=utf-8" },
  "/pages.css": { file: "pages.css", type: "text/css; charset=utf-8" },
};

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
    if (path === "/favicon.ico") {
      res.writeHead(204);
      res.end();
      return;
    }
    const asset = KIJK_MEE_ROUTES[path];
    const body = asset ? o.assets.read(asset.file) : null;
    if (!asset) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found\n");
      return;
    }
    if (body === null) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`the page is not built (${asset.file}): run \`npm run build -w gateway\`\n`);
      return;
    }
    res.writeHead(200, {
      "content-type": asset.type,
      "cache-control": "no-store",
      "content-security-policy":
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `Kijk mee page could not listen on ${o.config.host}:${o.config.port} (${e.code ?? e.message}): set kijkMee.port to a free port`,
        ),
      ),
    );
    server.listen(o.config.port, o.config.host, () => resolve());
  });
  const a = server.address();
  const port = typeof a === "object" && a ? a.port : o.config.port;
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

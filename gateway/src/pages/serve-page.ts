// What the gateway's page servers (enrolment, "Kijk mee") share: a page's routes (its HTML at /,
// its script, the shared CSS), the files served with the same security headers, and a listen that
// says which setting to change when the port is taken.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { PageAssets } from "./page-assets.js";

export type PageRoutes = Record<string, { file: string; type: string }>;

/** A page's files: "/" -> <page>.html, "/<page>.js", "/pages.css" (as page-build.ts writes them). */
export function pageRoutes(page: string): PageRoutes {
  return {
    "/": { file: page + ".html", type: "text/html; charset=utf-8" },
    ["/" + page + ".js"]: { file: page + ".js", type: "text/javascript; charset=utf-8" },
    "/pages.css": { file: "pages.css", type: "text/css; charset=utf-8" },
  };
}

export interface PageFiles {
  routes: PageRoutes;
  assets: PageAssets;
  /** The content security policy's img-src ("'self' data:"; a page that draws blobs adds blob:). */
  imgSrc: string;
}

/**
 * Answers a request for one of the page's files: GET of a route -> the file, no-store, a strict
 * content security policy (everything from this server only), nosniff, no referrer; a route not
 * built -> 500 saying how to build it; /favicon.ico -> 204; anything else -> 404.
 */
export function servePage(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  page: PageFiles,
): void {
  if (path === "/favicon.ico") {
    res.writeHead(204);
    res.end();
    return;
  }
  const asset = page.routes[path];
  if (!asset || req.method !== "GET") {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found\n");
    return;
  }
  const body = page.assets.read(asset.file);
  if (body === null) {
    res.writeHead(500, { "content-type": "text/plain" });
    res.end(`the page is not built (${asset.file}): run \`npm run build -w gateway\`\n`);
    return;
  }
  res.writeHead(200, {
    "content-type": asset.type,
    "cache-control": "no-store",
    "content-security-policy": `default-src 'self'; img-src ${page.imgSrc}; style-src 'self'; script-src 'self'; connect-src 'self'`,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
  });
  res.end(body);
}

/**
 * Listens on host:port and resolves with the port bound (port 0: the one the system chose); a
 * failure rejects with what could not listen and the setting to change, e.g. "enrolment page
 * could not listen on 127.0.0.1:8090 (EADDRINUSE): set enrol.port to a free port".
 */
export async function listenOrExplain(
  server: Server,
  o: { host: string; port: number; what: string; setting: string },
): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `${o.what} could not listen on ${o.host}:${o.port} (${e.code ?? e.message}): set ${o.setting} to a free port`,
        ),
      ),
    );
    server.listen(o.port, o.host, () => resolve());
  });
  const a = server.address();
  return typeof a === "object" && a ? a.port : o.port;
}

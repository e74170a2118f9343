// /metrics (Prometheus text) and /healthz (JSON: 200 when the outbox is writable and the broker
// connected, 503 otherwise, with the reason).
import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";

export function startMetricsServer(
  host: string,
  port: number,
  registry: Registry,
  health: () => { ok: boolean; [k: string]: unknown },
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === "/metrics") {
      registry
        .metrics()
        .then((text) => {
          res.writeHead(200, { "content-type": registry.contentType });
          res.end(text);
        })
        .catch((e: Error) => {
          res.writeHead(500);
          res.end(e.message);
        });
    } else if (req.url === "/healthz") {
      const h = health();
      res.writeHead(h.ok ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify(h));
    } else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("try /metrics or /healthz\n");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}

// A local HTTP server standing in for the rewards API, following the contract in the README
// (Idempotency-Key draft): a new key is stored and answered 201; the same key with the same body
// replays 200; the same key with a different body is 422. It records every call and can be told
// to fail or refuse (e.g. failNext = [409] for "a request with this key is still in progress").
import { createServer, type IncomingMessage, type Server } from "node:http";

export interface RewardsCall {
  key: string;
  body: Record<string, unknown>;
  status: number;
  authorization: string | undefined;
}

export interface RewardsApi {
  url: string;
  calls: RewardsCall[];
  accepted: Map<string, Record<string, unknown>>;
  /** Status codes to answer with next, before normal behaviour resumes. */
  failNext: number[];
  /** Answer this status to every call while set (e.g. 400 to refuse, 503 to be down). */
  always: number | null;
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = "";
    req.on("data", (d: Buffer) => (s += d.toString()));
    req.on("end", () => resolve(s));
  });
}

export async function startRewardsApi(port = 0): Promise<RewardsApi> {
  const api: Omit<RewardsApi, "url" | "close"> = {
    calls: [],
    accepted: new Map(),
    failNext: [],
    always: null,
  };
  const server: Server = createServer((req, res) => {
    void body(req).then((text) => {
      const key = String(req.headers["idempotency-key"] ?? "");
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        parsed = {};
      }
      let status = 201;
      if (api.always !== null) status = api.always;
      else if (api.failNext.length) status = api.failNext.shift()!;
      else if (!key || typeof parsed.steps !== "number") status = 400;
      else if (api.accepted.has(key))
        status = JSON.stringify(api.accepted.get(key)) === JSON.stringify(parsed) ? 200 : 422;
      if (status === 201) api.accepted.set(key, parsed);
      api.calls.push({ key, body: parsed, status, authorization: req.headers.authorization });
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ status }));
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  const addr = server.address();
  const p = typeof addr === "object" && addr ? addr.port : 0;
  return Object.assign(api, {
    url: "http://127.0.0.1:" + p + "/v1/day-totals",
    close: () => new Promise<void>((r) => server.close(() => r())),
  }) as RewardsApi;
}

export interface Recorder {
  url: string;
  bodies: Record<string, unknown>[];
  close(): Promise<void>;
}

/** A webhook receiver that records every JSON body and answers 204. */
export async function startRecorder(): Promise<Recorder> {
  const bodies: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    void body(req).then((text) => {
      try {
        bodies.push(JSON.parse(text) as Record<string, unknown>);
      } catch {
        bodies.push({ raw: text });
      }
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const addr = server.address();
  const p = typeof addr === "object" && addr ? addr.port : 0;
  return {
    url: "http://127.0.0.1:" + p + "/alerts",
    bodies,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

// The embedded broker (aedes, in-process, MQTT 3.1.1). broker.mode auto starts it when nothing
// answers on the configured URL; embedded always starts it; external never does.
import { Aedes } from "aedes";
import { createServer, connect, type Server } from "node:net";

export interface EmbeddedBroker {
  host: string;
  port: number;
  close(): Promise<void>;
}

export function hostPortOf(url: string): { host: string; port: number; tls: boolean } {
  const u = new URL(url.replace(/^tcp:/, "mqtt:").replace(/^ssl:/, "mqtts:"));
  const tls = u.protocol === "mqtts:";
  return { host: u.hostname || "127.0.0.1", port: Number(u.port) || (tls ? 8883 : 1883), tls };
}

/** True when a TCP connection to host:port succeeds within timeoutMs. */
export function answers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean) => {
      clearTimeout(t);
      s.destroy();
      resolve(ok);
    };
    const t = setTimeout(() => done(false), timeoutMs);
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

export async function startEmbeddedBroker(host: string, port: number): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker();
  const server: Server = createServer(
    aedes.handle as unknown as (s: import("node:net").Socket) => void,
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const actual = typeof addr === "object" && addr ? addr.port : port;
  return {
    host,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        aedes.close(() => resolve());
        // close() waits for clients; aedes.close disconnects them
      }),
  };
}

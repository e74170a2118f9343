// The broker credentials and TLS files of the gateway config as mqtt.js client options: one place
// for every client the gateway opens (the publisher, the Kijk mee feed, `watch`). A TLS file that
// cannot be read is a ConfigError naming its field.
import { readFileSync } from "node:fs";
import type { IClientOptions } from "mqtt";
import { ConfigError } from "../config/issues.js";
import type { BrokerConfig } from "../config/schema.js";

export type BrokerAuthOptions = Pick<
  IClientOptions,
  "username" | "password" | "ca" | "cert" | "key" | "rejectUnauthorized"
>;

function readTlsFile(field: "ca" | "cert" | "key", path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new ConfigError(
      `broker.tls.${field}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); fix the path or the file's permissions`,
    );
  }
}

export function brokerAuthOptions(b: BrokerConfig): BrokerAuthOptions {
  const o: BrokerAuthOptions = {};
  if (b.username) o.username = b.username;
  if (b.password) o.password = b.password;
  if (b.tls) {
    if (b.tls.ca) o.ca = readTlsFile("ca", b.tls.ca);
    if (b.tls.cert) o.cert = readTlsFile("cert", b.tls.cert);
    if (b.tls.key) o.key = readTlsFile("key", b.tls.key);
    o.rejectUnauthorized = b.tls.rejectUnauthorized;
  }
  return o;
}

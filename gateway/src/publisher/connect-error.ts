// Turns MQTT CONNACK refusals and socket errors into a message that says what to do next.

export type ConnectProblem =
  "protocol" | "credentials" | "not_authorized" | "unreachable" | "tls" | "other";

export function classifyConnectError(err: Error & { code?: unknown }): ConnectProblem {
  const code = err.code;
  const msg = err.message || "";
  if (code === 1 || code === 0x84 || /protocol version/i.test(msg)) return "protocol";
  // Mosquitto answers a wrong password with "not authorized" (5 / 0x87), so both mean credentials
  if (code === 4 || code === 0x86 || /bad user ?name or password/i.test(msg)) return "credentials";
  if (code === 5 || code === 0x87 || /not authori[sz]ed/i.test(msg)) return "credentials";
  if (
    code === "ECONNREFUSED" ||
    code === "EHOSTUNREACH" ||
    code === "ENOTFOUND" ||
    code === "ETIMEDOUT"
  )
    return "unreachable";
  if (typeof code === "string" && /CERT|SSL|TLS|SELF_SIGNED/.test(code)) return "tls";
  if (/certificate|ssl|tls/i.test(msg)) return "tls";
  return "other";
}

export function adviceFor(problem: ConnectProblem, url: string): string {
  switch (problem) {
    case "credentials":
      return `the broker at ${url} refused the username/password (or does not authorise this user): check broker.username and broker.password (or LIOT_BROKER_USERNAME / LIOT_BROKER_PASSWORD) and the broker's password file`;
    case "not_authorized":
      return `the broker at ${url} does not authorise this client: check the broker's ACL for this user and client id`;
    case "unreachable":
      return `nothing answers at ${url}: start the broker, check broker.url, or use broker.mode: auto to run the embedded broker`;
    case "tls":
      return `TLS handshake with ${url} failed: check broker.tls.ca (the CA that signed the broker's certificate) and the host name in broker.url`;
    case "protocol":
      return `the broker at ${url} refused the MQTT protocol version`;
    default:
      return `connection to ${url} failed`;
  }
}

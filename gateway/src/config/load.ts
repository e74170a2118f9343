// Reads the YAML file, applies LIOT_* environment overrides, validates, and redacts for printing.
import { readFileSync } from "node:fs";
import { didYouMean, userPath } from "@leiden-iot/protocol/cli";
import { parse } from "yaml";
import { ConfigError, formatIssues } from "./issues.js";
import { configSchema, type GatewayConfig } from "./schema.js";
import { hasUserInfo, redactUrl } from "./redact-url.js";

/**
 * Environment variable -> config path. The value passes the same schema as the file's: strings
 * stay strings ("0123" is a gateway id, not a number); "number" values are numbers when they
 * look like one (otherwise the schema says what it expected). "file" values are paths: a relative
 * one resolves from the directory the user ran the command in (INIT_CWD under npm).
 */
export const ENV_OVERRIDES: Record<string, { path: string; type: "string" | "number" | "file" }> = {
  LIOT_GATEWAY_ID: { path: "gatewayId", type: "string" },
  LIOT_TOPIC_PREFIX: { path: "topicPrefix", type: "string" },
  LIOT_STATE_DIR: { path: "stateDir", type: "file" },
  LIOT_REGISTRY: { path: "registry", type: "file" },
  LIOT_BROKER_URL: { path: "broker.url", type: "string" },
  LIOT_BROKER_MODE: { path: "broker.mode", type: "string" },
  LIOT_BROKER_USERNAME: { path: "broker.username", type: "string" },
  LIOT_BROKER_PASSWORD: { path: "broker.password", type: "string" },
  LIOT_METRICS_PORT: { path: "metrics.port", type: "number" },
  LIOT_KIJK_MEE_PORT: { path: "kijkMee.port", type: "number" },
  LIOT_LOG_LEVEL: { path: "log.level", type: "string" },
  LIOT_LNS_PASSWORD: { path: "sources.lnsMqtt.password", type: "string" },
};

/**
 * LIOT_* variables read by other parts of the project (Node-RED flows, firmware provisioning,
 * the demo, tests); the gateway leaves them alone. Any other LIOT_* name is a typo and an error.
 */
export const OTHER_LIOT_VARIABLES: readonly string[] = [
  "LIOT_NODE_RED_PORT",
  "LIOT_NODE_RED_HOST",
  "LIOT_NODE_RED_USER_DIR",
  "LIOT_NODE_RED_LOG",
  "LIOT_REWARDS_URL",
  "LIOT_ALERT_WEBHOOK_URL",
  "LIOT_HISTORY_FILE",
  "LIOT_CLASSROOM_NAMES",
  "LIOT_CONTEXT_FLUSH_S",
  "LIOT_CREDENTIAL_SECRET",
  "LIOT_DEMO_NODE_RED_LOG",
  "LIOT_MASTER_KEY",
  "LIOT_UPDATE_SCREENSHOT",
];
/** Test harness variables (LIOT_TEST_*) are never the gateway's. */
const TEST_PREFIX = "LIOT_TEST_";

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let o = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i]!;
    if (typeof o[k] !== "object" || o[k] === null) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[parts[parts.length - 1]!] = value;
}

/** Unknown LIOT_* names, each with the nearest known one. */
export function unknownEnvVariables(env: Record<string, string | undefined>): string[] {
  const known = new Set([...Object.keys(ENV_OVERRIDES), ...OTHER_LIOT_VARIABLES]);
  return Object.keys(env)
    .filter((n) => n.startsWith("LIOT_") && !known.has(n) && !n.startsWith(TEST_PREFIX))
    .sort()
    .map((n) => `  ${n}: not a setting of the gateway${didYouMean(n, [...known], (c) => c)}`);
}

export function resolveConfig(
  raw: unknown,
  env: Record<string, string | undefined>,
  file = "config",
): GatewayConfig {
  const unknown = unknownEnvVariables(env);
  if (unknown.length)
    throw new ConfigError(
      `unknown LIOT_* environment variable${unknown.length > 1 ? "s" : ""}:\n${unknown.join("\n")}\nRename or unset ${unknown.length > 1 ? "them" : "it"}; the gateway reads ${Object.keys(ENV_OVERRIDES).join(", ")} (gateway/README.md#configuration).`,
    );
  const data = (raw && typeof raw === "object" ? structuredClone(raw) : {}) as Record<
    string,
    unknown
  >;
  const fromEnv = new Map<string, string>();
  for (const [name, o] of Object.entries(ENV_OVERRIDES)) {
    const v = env[name];
    if (v === undefined || v === "") continue;
    const value =
      o.type === "number" && /^\s*-?\d+(\.\d+)?\s*$/.test(v)
        ? Number(v)
        : o.type === "file"
          ? userPath(v, env)
          : v;
    setPath(data, o.path, value);
    fromEnv.set(o.path, name);
  }
  const r = configSchema.safeParse(data);
  if (!r.success)
    throw new ConfigError(
      formatIssues(
        fromEnv.size ? file + " with LIOT_* environment overrides" : file,
        r.error,
        fromEnv,
      ),
    );
  return r.data;
}

export function loadConfig(
  path: string | undefined,
  env: Record<string, string | undefined> = process.env,
): GatewayConfig {
  if (!path) return resolveConfig({}, env, "defaults");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(
      `cannot read config ${path}: ${(e as Error).message}. Pass an existing file with --config.`,
    );
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new ConfigError(`${path} is not valid YAML: ${(e as Error).message}`);
  }
  return resolveConfig(raw, env, path);
}

const SECRET_KEYS = /password|secret|masterKey|^key$|nwkSKey|appSKey/i;

/** A deep copy with every secret replaced by "***" (and credentials inside URLs removed). */
export function redact<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => redact(x)) as T;
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (SECRET_KEYS.test(k) && x !== undefined) out[k] = "***";
      else if (typeof x === "string" && hasUserInfo(x)) out[k] = redactUrl(x);
      else out[k] = redact(x);
    }
    return out as T;
  }
  return v;
}

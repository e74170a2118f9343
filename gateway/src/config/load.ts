// Reads the YAML file, applies LIOT_* environment overrides, validates, and redacts for printing.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { ConfigError, formatIssues } from "./issues.js";
import { configSchema, type GatewayConfig } from "./schema.js";
import { hasUserInfo, redactUrl } from "./redact-url.js";

/** Environment variable -> config path. Values are YAML scalars ("1883", "true", "x"). */
export const ENV_OVERRIDES: Record<string, string> = {
  LIOT_GATEWAY_ID: "gatewayId",
  LIOT_TOPIC_PREFIX: "topicPrefix",
  LIOT_STATE_DIR: "stateDir",
  LIOT_REGISTRY: "registry",
  LIOT_BROKER_URL: "broker.url",
  LIOT_BROKER_MODE: "broker.mode",
  LIOT_BROKER_USERNAME: "broker.username",
  LIOT_BROKER_PASSWORD: "broker.password",
  LIOT_METRICS_PORT: "metrics.port",
  LIOT_LOG_LEVEL: "log.level",
  LIOT_LNS_PASSWORD: "sources.lnsMqtt.password",
};

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

export function resolveConfig(
  raw: unknown,
  env: Record<string, string | undefined>,
  file = "config",
): GatewayConfig {
  const data = (raw && typeof raw === "object" ? structuredClone(raw) : {}) as Record<
    string,
    unknown
  >;
  for (const [name, path] of Object.entries(ENV_OVERRIDES)) {
    const v = env[name];
    if (v === undefined || v === "") continue;
    const parsed: unknown = /PASSWORD|USERNAME/.test(name) ? v : parse(v);
    setPath(data, path, parsed);
  }
  const r = configSchema.safeParse(data);
  if (!r.success)
    throw new ConfigError(formatIssues(file + " (with LIOT_* environment overrides)", r.error));
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

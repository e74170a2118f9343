// The gateway's one YAML configuration file, validated with zod. Every field has a default so the
// gateway (and the demo) start with no file at all. Reference: gateway/README.md#configuration.
import { z } from "zod";
import { strictObject } from "./strict-object.js";
import { enrolSchema } from "../enrol/enrol-config.js";
import { kijkMeeSchema } from "../kijk-mee/kijk-mee-config.js";

const port = z.number().int().min(1).max(65535);
const secret = z.string().min(1);

const tlsSchema = strictObject({
  /** PEM file paths. */
  ca: z.string().optional(),
  cert: z.string().optional(),
  key: z.string().optional(),
  /** false only for testing against self-signed brokers without a CA file. */
  rejectUnauthorized: z.boolean().default(true),
}).refine((t) => !t.cert === !t.key, {
  message: "tls.cert and tls.key go together: set both (client certificate) or neither",
});

export const brokerSchema = strictObject({
  /** auto: use the broker at url if one answers, else start an embedded one there. */
  mode: z.enum(["auto", "embedded", "external"]).default("auto"),
  url: z
    .string()
    .regex(
      /^mqtts?:\/\/[^/]+/,
      "broker.url must start with mqtt:// or mqtts://, like mqtt://host:1883 or mqtts://host:8883",
    )
    .default("mqtt://127.0.0.1:1883"),
  username: z.string().optional(),
  password: secret.optional(),
  clientId: z.string().optional(),
  tls: tlsSchema.optional(),
  /** 5 first, falling back to 4 (3.1.1) if the broker refuses v5; or force one. */
  protocolVersion: z.union([z.literal("auto"), z.literal(5), z.literal(4)]).default("auto"),
  keepaliveSeconds: z.number().int().min(5).max(3600).default(30),
  reconnectMinMs: z.number().int().min(100).default(500),
  reconnectMaxMs: z.number().int().min(1000).default(30_000),
}).refine((b) => !b.password || b.username, {
  message: "a password needs a username: set broker.username too (MQTT sends no password alone)",
  path: ["username"],
});

export const semtechUdpSchema = strictObject({
  enabled: z.boolean().default(true),
  host: z.string().default("0.0.0.0"),
  port: port.default(1700),
});

export const lnsMqttSchema = strictObject({
  enabled: z.boolean().default(true),
  flavour: z.enum(["ttn", "chirpstack"]),
  url: z
    .string()
    .regex(
      /^(mqtts?|wss?):\/\/[^/]+/,
      "sources.lnsMqtt.url must start with mqtt://, mqtts://, ws:// or wss://, like mqtts://eu1.cloud.thethings.network:8883",
    ),
  username: z.string().optional(),
  password: secret.optional(),
  tls: tlsSchema.optional(),
  /** Default per flavour: ttn "v3/+/devices/+/up", chirpstack "application/+/device/+/event/up". */
  topic: z.string().optional(),
  clientId: z.string().optional(),
});

export const bleSchema = strictObject({
  enabled: z.boolean().default(true),
  /** Restart scanning this long after the adapter reports an error or powers off. */
  restartDelayMs: z.number().int().min(100).default(2000),
});

export const simSchema = strictObject({
  enabled: z.boolean().default(true),
  bands: z.number().int().min(0).max(1_000_000).default(20),
  classrooms: z.number().int().min(0).max(100_000).default(5),
  /** Frames per second over the whole fleet. */
  rate: z.number().min(0.1).max(1_000_000).default(10),
  /** Device ids: bands firstBandId.., classrooms firstClassroomId.. (must be in the registry). */
  firstBandId: z.number().int().min(0).default(1),
  firstClassroomId: z.number().int().min(0).default(100_000),
  /** Replay a firmware simulator NDJSON radio log (firmware/README.md) instead of generating frames. */
  replay: z.string().optional(),
  /** Each advert heard this many times (radio repeats), to exercise dedup. */
  repeats: z.number().int().min(1).max(10).default(1),
  /** Test and audit hook: append the message id of every accepted sim frame to this file. */
  acceptedLog: z.string().optional(),
  /** "plain" (default) or "demo" (npm start): a long lesson that raises the CO2 alert, bands with earlier days. */
  profile: z.enum(["plain", "demo"]).optional(),
  /** Hours of classroom readings sent before going live (default 0; the 24-hour chart). */
  backfillHours: z.number().min(0).max(24).optional(),
  /** Default false. Send nothing until the source is released (the demo waits until the dashboard listens). */
  hold: z.boolean().optional(),
});

export const configSchema = strictObject({
  gatewayId: z
    .string()
    .regex(
      /^[A-Za-z0-9._-]{1,64}$/,
      "gatewayId: letters, digits, . _ - (max 64), it is part of topics",
    )
    .default("gw-local"),
  /** Site/tenant topic prefix, e.g. "leiden/gw". No leading or trailing slash, no wildcards. */
  topicPrefix: z
    .string()
    .regex(/^[^/#+][^#+]*[^/#+]$|^[^/#+]$/, "topicPrefix: no leading/trailing '/', no '+' or '#'")
    .default("leiden"),
  /** Directory of the SQLite state file and the generated demo key. */
  stateDir: z.string().default(".state"),
  /** Key registry file (YAML/JSON). Default: <stateDir>/registry.yaml, created for the demo. */
  registry: z.string().optional(),
  broker: brokerSchema.prefault({}),
  outbox: strictObject({
    maxBytes: z
      .number()
      .int()
      .min(1024)
      .default(256 * 1024 * 1024),
    maxAgeSeconds: z
      .number()
      .int()
      .min(1)
      .default(7 * 24 * 3600),
    inFlight: z.number().int().min(1).max(65535).default(100),
    synchronous: z.enum(["normal", "full"]).default("normal"),
  }).prefault({}),
  pipeline: strictObject({
    /** Replay window per device: counters this far below the highest may still arrive once. */
    replayWindow: z.number().int().min(0).max(64).default(32),
    /** Epochs searched each way for bands with clockNotSet (bounded fallback). */
    clockNotSetEpochs: z.number().int().min(0).max(96).default(4),
    /** LoRa FCntUp jumps larger than this are refused as fcnt_gap (LNS and UDP alike). */
    maxFcntGap: z.number().int().min(1).max(0xffffffff).default(16384),
  }).prefault({}),
  sources: strictObject({
    ble: bleSchema.optional(),
    sim: simSchema.optional(),
    semtechUdp: semtechUdpSchema.optional(),
    lnsMqtt: lnsMqttSchema.optional(),
  }).prefault({}),
  metrics: strictObject({
    enabled: z.boolean().default(true),
    host: z.string().default("127.0.0.1"),
    port: port.default(9464),
    /** Per-device series are labelled with pseudonyms; at most this many devices. */
    maxDeviceLabels: z.number().int().min(0).max(100_000).default(500),
  }).prefault({}),
  /** The staff enrolment page (gateway/src/enrol/); off by default. */
  enrol: enrolSchema.prefault({}),
  /** The classroom "Kijk mee" page and its live feed (gateway/src/kijk-mee/); off by default. */
  kijkMee: kijkMeeSchema.prefault({}),
  health: strictObject({ intervalSeconds: z.number().int().min(1).default(60) }).prefault({}),
  log: strictObject({
    level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  }).prefault({}),
});

export type GatewayConfig = z.infer<typeof configSchema>;
export type BrokerConfig = z.infer<typeof brokerSchema>;
export type SemtechUdpConfig = z.infer<typeof semtechUdpSchema>;
export type LnsMqttConfig = z.infer<typeof lnsMqttSchema>;
export type SimConfig = z.infer<typeof simSchema>;
export type BleConfig = z.infer<typeof bleSchema>;
export type TlsConfig = z.infer<typeof tlsSchema>;

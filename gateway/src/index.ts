// Programmatic entry of the gateway, for embedding (hardware-in-the-loop tests, tools).
export { startGateway, type RunningGateway } from "./gateway.js";
export { configSchema, type GatewayConfig } from "./config/schema.js";
export { loadConfig, resolveConfig } from "./config/load.js";
export { createLogger } from "./cli/logger.js";
export type { Disposition, Emit, RawFrame, Source, SourceHealth } from "./sources/source.js";

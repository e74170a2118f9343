// pino JSON logs on stdout; secrets are redacted by path as a second line of defence.
import pino, { type Logger } from "pino";

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: "liot-gateway" },
    redact: {
      paths: ["password", "*.password", "masterKey", "*.masterKey", "key", "*.key"],
      censor: "***",
    },
  });
}

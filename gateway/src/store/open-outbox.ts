// Opens the state database and the outbox on it with the configured limits; drops and failed
// maintenance are counted and logged (rate-limited), never thrown.
import type { Logger } from "pino";
import type { GatewayConfig } from "../config/schema.js";
import type { GatewayMetrics } from "../metrics/metrics.js";
import type { RateLimitedLog } from "../metrics/rate-limited-log.js";
import { databasePath, ensureStateDir } from "../state.js";
import { openDatabase, type Db } from "./database.js";
import { Outbox } from "./outbox.js";

export function openOutbox(
  config: GatewayConfig,
  metrics: GatewayMetrics,
  rlog: RateLimitedLog,
  log: Logger,
): { db: Db; outbox: Outbox } {
  ensureStateDir(config);
  const db = openDatabase(databasePath(config), config.outbox.synchronous);
  const outbox = new Outbox(db, {
    maxBytes: config.outbox.maxBytes,
    maxAgeSeconds: config.outbox.maxAgeSeconds,
    onDrop: (reason, rows, bytes) => {
      metrics.outboxDropped.inc({ reason }, rows);
      rlog.warn(
        "drop-" + reason,
        { reason, rows, bytes },
        reason === "full"
          ? "outbox full (outbox.maxBytes): dropped the oldest frames"
          : "frames older than outbox.maxAgeSeconds dropped",
      );
    },
    onMaintenanceError: (what, err) =>
      rlog.warn(
        "outbox-" + what,
        { err: err.message },
        "outbox maintenance failed (" +
          what +
          "): check disk space of stateDir; retried on the next write",
      ),
  });
  if (outbox.depth)
    log.info(
      { depth: outbox.depth },
      "outbox holds frames from before the restart: publishing them first",
    );
  return { db, outbox };
}

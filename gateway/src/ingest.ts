// The hot path: a source's frame -> pipeline -> outbox, answered with what became of it. A frame
// is "accepted" only once the outbox has stored it; a duplicate waits for its first copy's write.
import type { Logger } from "pino";
import type { GatewayMetrics } from "./metrics/metrics.js";
import type { RateLimitedLog } from "./metrics/rate-limited-log.js";
import type { Pipeline } from "./pipeline/pipeline.js";
import type { Disposition, Emit, RawFrame } from "./sources/source.js";
import type { Outbox } from "./store/outbox.js";

export interface IngestDeps {
  pipeline: Pipeline;
  outbox: Outbox;
  metrics: GatewayMetrics;
  log: Logger;
  rlog: RateLimitedLog;
  /** Called once a frame is stored (the enrolment page shows a device's first frame). */
  onAccepted: (deviceId: number, receivedAt: number) => void;
}

export interface Ingest {
  emit: Emit;
  /** Resolves when every outbox write started so far has finished (stored or failed). */
  settle(): Promise<void>;
}

export function createIngest(deps: IngestDeps): Ingest {
  const { pipeline, outbox, metrics, log, rlog } = deps;
  const pendingByMid = new Map<string, Promise<unknown>>();
  const emit: Emit = async (frame: RawFrame): Promise<Disposition> => {
    metrics.framesIn.inc({ source: frame.source });
    const out = await pipeline.processWhenIndexed(frame);
    if (out.status === "rejected") {
      metrics.rejected.inc({ source: frame.source, reason: out.reason });
      // The detail may name a DevEUI or an ephemeral id: debug only; internal_error is a bug.
      if (out.reason === "internal_error")
        log.error({ source: frame.source, detail: out.detail }, "a frame made the pipeline throw");
      else log.debug({ source: frame.source, reason: out.reason, detail: out.detail }, "rejected");
      rlog.warn(
        "reject-" + out.reason,
        { source: frame.source, reason: out.reason },
        "frame rejected (details at log level debug)",
      );
      return out;
    }
    if (out.status === "duplicate") {
      metrics.duplicates.inc({ source: frame.source });
      // "duplicate" promises the first copy is stored: when its write fails, this copy is not
      // acknowledged either (store_failed), so the sender repeats it and the repeat is accepted.
      const p = pendingByMid.get(out.messageId);
      if (p) {
        try {
          await p;
        } catch (e) {
          metrics.rejected.inc({ source: frame.source, reason: "store_failed" });
          return {
            status: "rejected",
            reason: "store_failed",
            detail: "the first copy of this frame could not be stored: " + (e as Error).message,
          };
        }
      }
      return out;
    }
    const p = outbox.enqueue({
      topic: out.topic,
      payload: out.payload,
      properties: out.userProperties,
      messageId: out.messageId,
      receivedAt: frame.receivedAt,
      counter: { stream: out.stream, state: out.counter },
    });
    pendingByMid.set(out.messageId, p);
    try {
      await p;
    } catch (e) {
      pipeline.rollback(out);
      metrics.rejected.inc({ source: frame.source, reason: "store_failed" });
      rlog.warn(
        "store_failed",
        { err: (e as Error).message },
        "could not store a frame in the outbox: check disk space and permissions of stateDir",
      );
      return { status: "rejected", reason: "store_failed", detail: (e as Error).message };
    } finally {
      pendingByMid.delete(out.messageId);
    }
    metrics.accepted.inc({ source: frame.source, kind: out.info.kind });
    deps.onAccepted(out.deviceId, frame.receivedAt);
    metrics.device(out.pseudonym, out.info.kind, out.info, frame.receivedAt);
    return { status: "accepted", messageId: out.messageId };
  };
  return {
    emit,
    async settle() {
      await Promise.allSettled([...pendingByMid.values()]);
    },
  };
}

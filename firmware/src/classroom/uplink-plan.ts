// How often to send and how many readings per batch, so that a day's uplinks stay within the
// TTN fair-use airtime at the data rate the RN2483 reports (`mac get dr`).
import {
  BATCH_DELTA_BYTES_BOUND,
  BATCH_HEADER_BYTES,
  batchBytesBound,
  DEVICE_STATUS_BYTES,
  EU868_MAX_PAYLOAD,
  loraAirtimeMs,
  MAX_BATCH_READINGS,
} from "@leiden-iot/protocol/device";
import { BATCH_ENCODE_MAX } from "./batch.js";

/** TTN fair use is 30 s/day; keep a margin for retries and the odd extra status uplink. */
export const DAILY_AIRTIME_BUDGET_MS = 27000;
/** Status uplinks a day in the plan: daily + after join + after a downlink or two. */
export const STATUS_UPLINKS_PER_DAY = 4;

export interface UplinkPlan {
  dr: number;
  /** Readings averaged into one batch entry. */
  aggregate: number;
  batchIntervalSeconds: number;
  uplinkMinutes: number;
  readingsPerUplink: number;
  bytesPerUplink: number;
  airtimeMsPerDay: number;
}

/** Upper bound of a batch's size (protocol/'s rule: header and first reading, <= 4 bytes more each). */
export { batchBytesBound };

/**
 * The finest plan that fits: the fewest readings averaged together, then the most frequent
 * uplinks (but not more often than wanted) whose daily airtime, with the status uplinks, stays
 * within budgetMs at this data rate and whose batch fits the data rate's maximum payload.
 */
export function planUplinks(
  dr: number,
  readingIntervalSeconds: number,
  wantedUplinkMinutes: number,
  budgetMs: number,
): UplinkPlan {
  const d = dr < 0 ? 0 : dr > 5 ? 5 : Math.floor(dr);
  const sf = 12 - d;
  const maxPayload = EU868_MAX_PAYLOAD[d]!;
  const statusMs = STATUS_UPLINKS_PER_DAY * loraAirtimeMs(DEVICE_STATUS_BYTES, sf);
  const maxN = Math.min(
    MAX_BATCH_READINGS,
    BATCH_ENCODE_MAX,
    Math.floor((maxPayload - BATCH_HEADER_BYTES) / BATCH_DELTA_BYTES_BOUND) + 1,
  );
  let last: UplinkPlan | null = null;
  // Readings averaged per entry, finest first (built per call: no table held in RAM).
  const AGGREGATION = [1, 2, 3, 5, 10, 15, 20, 30, 60];
  for (let a = 0; a < AGGREGATION.length; a++) {
    const k = AGGREGATION[a]!;
    const interval = readingIntervalSeconds * k;
    if (interval > 3600) break;
    for (let n = 1; n <= maxN; n++) {
      const seconds = n * interval;
      if (seconds % 60 !== 0 || seconds < wantedUplinkMinutes * 60) continue;
      const minutes = seconds / 60;
      const bytes = batchBytesBound(n);
      const perDay = (1440 / minutes) * loraAirtimeMs(bytes, sf) + statusMs;
      last = {
        dr: d,
        aggregate: k,
        batchIntervalSeconds: interval,
        uplinkMinutes: minutes,
        readingsPerUplink: n,
        bytesPerUplink: bytes,
        airtimeMsPerDay: Math.round(perDay),
      };
      if (perDay <= budgetMs) return last;
    }
  }
  // Nothing fits (not the case for DR0..5 with 60 s readings): the sparsest plan tried.
  return last!;
}

// How often to send and how many readings per batch, so that a day's uplinks stay within the
// TTN fair-use airtime at the data rate the RN2483 reports (`mac get dr`).
import { EU868_MAX_PAYLOAD, loraAirtimeMs, MAX_BATCH_READINGS } from "@leiden-iot/protocol/device";

/** TTN fair use is 30 s/day; keep a margin for retries and the odd extra status uplink. */
export const DAILY_AIRTIME_BUDGET_MS = 27000;
/** Status uplinks a day in the plan: daily + after join + after a downlink or two. */
export const STATUS_UPLINKS_PER_DAY = 4;
const AGGREGATION = [1, 2, 3, 5, 10, 15, 30, 60];
const UPLINK_MINUTES = [5, 10, 15, 20, 30, 60, 120, 240, 480, 720, 1440];

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

/** Upper bound of a batch's size: header + first reading 13 bytes, <= 4 bytes per further one
 * (CO2 delta up to +-8191 ppm in 2 varint bytes, temperature and humidity deltas in 1 each). */
export function batchBytesBound(n: number): number {
  return 13 + (n - 1) * 4;
}

export function planUplinks(
  dr: number,
  readingIntervalSeconds: number,
  wantedUplinkMinutes: number,
  budgetMs: number,
): UplinkPlan {
  const d = dr < 0 ? 0 : dr > 5 ? 5 : Math.floor(dr);
  const sf = 12 - d;
  const maxPayload = EU868_MAX_PAYLOAD[d]!;
  const statusMs = STATUS_UPLINKS_PER_DAY * loraAirtimeMs(16, sf);
  let last: UplinkPlan | null = null;
  for (let a = 0; a < AGGREGATION.length; a++) {
    const k = AGGREGATION[a]!;
    const interval = readingIntervalSeconds * k;
    if (interval > 3600) break;
    for (let u = 0; u < UPLINK_MINUTES.length; u++) {
      const minutes = UPLINK_MINUTES[u]!;
      if (minutes < wantedUplinkMinutes) continue;
      if ((minutes * 60) % interval !== 0) continue;
      const n = (minutes * 60) / interval;
      if (n > MAX_BATCH_READINGS) break;
      const bytes = batchBytesBound(n);
      if (bytes > maxPayload) break;
      const perDay = (1440 / minutes) * loraAirtimeMs(bytes, sf) + statusMs;
      const plan: UplinkPlan = {
        dr: d,
        aggregate: k,
        batchIntervalSeconds: interval,
        uplinkMinutes: minutes,
        readingsPerUplink: n,
        bytesPerUplink: bytes,
        airtimeMsPerDay: Math.round(perDay),
      };
      last = plan;
      if (perDay <= budgetMs) return plan;
    }
  }
  // Nothing fits (should not happen for DR0..5 with 60 s readings): the sparsest plan we tried.
  return last!;
}

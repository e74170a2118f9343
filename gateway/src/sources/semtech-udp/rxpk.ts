// One received packet ("rxpk") of a PUSH_DATA: radio metadata and the base64 PHYPayload.
// Pure; the source decides what to do with the payload.
import { accept, reject, type Result } from "@leiden-iot/protocol";
import { z } from "zod";
import { decodeBase64Strict } from "../../lorawan/base64.js";
import { zodProblem } from "../../lorawan/rejection-log.js";

export type RxpkReason =
  | "bad_rxpk" // missing or mistyped field (the detail names the JSON path)
  | "crc_failed" // stat -1: the radio's CRC failed, the bytes are noise
  | "no_crc" // stat 0: no CRC on air; LoRaWAN uplinks always carry one
  | "bad_base64" // data is not base64
  | "size_mismatch"; // data decodes to another length than size says

const finite = z.number().refine(Number.isFinite, "must be finite");

const rxpkSchema = z.looseObject({
  time: z.string().optional(),
  tmst: z.number().int().min(0).max(0xffffffff).optional(),
  freq: finite.min(100).max(10_000), // MHz
  chan: z.number().int().optional(),
  rfch: z.number().int().optional(),
  stat: z.number().int().min(-1).max(1).optional(),
  modu: z.enum(["LORA", "FSK"]),
  datr: z.union([z.string().regex(/^SF([5-9]|1[0-2])BW(125|250|500|[0-9]{1,4})$/), z.number()]),
  codr: z.string().optional(),
  rssi: finite.min(-250).max(50).optional(),
  lsnr: finite.min(-50).max(50).optional(),
  size: z.number().int().min(0).max(255).optional(),
  data: z.string(),
  rsig: z.array(z.looseObject({ rssic: finite.optional(), lsnr: finite.optional() })).optional(),
});

export interface ReceivedPacket {
  phyPayload: Uint8Array;
  /** Unix seconds: the gateway's GPS/NTP time when plausible, else when we received it. */
  receivedAt: number;
  rssi?: number;
  snr?: number;
  dataRate: string; // "SF7BW125" or "FSK50000"
  frequency: number; // Hz
  /** The concentrator's microsecond counter: what a downlink's RX1 timing is based on. */
  tmst?: number;
}

/** How far the gateway's clock may be from ours before we trust ours instead. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export function parseRxpk(
  raw: unknown,
  index: number,
  nowMs: number,
): Result<ReceivedPacket, RxpkReason> {
  const parsed = rxpkSchema.safeParse(raw);
  if (!parsed.success) return reject("bad_rxpk", zodProblem(parsed.error, `$.rxpk[${index}]`));
  const r = parsed.data;
  if (r.stat === -1) return reject("crc_failed", `rxpk[${index}]: CRC failed`);
  if (r.stat === 0) return reject("no_crc", `rxpk[${index}]: no CRC`);
  if (r.modu === "LORA" && typeof r.datr !== "string")
    return reject("bad_rxpk", `$.rxpk[${index}].datr: LoRa needs "SF<n>BW<khz>"`);
  const phyPayload = decodeBase64Strict(r.data);
  if (!phyPayload) return reject("bad_base64", `$.rxpk[${index}].data is not base64`);
  if (r.size !== undefined && r.size !== phyPayload.length)
    return reject(
      "size_mismatch",
      `$.rxpk[${index}]: size ${r.size}, data has ${phyPayload.length} bytes`,
    );
  const gatewayMs = r.time === undefined ? NaN : Date.parse(r.time);
  const receivedMs =
    Number.isFinite(gatewayMs) && Math.abs(gatewayMs - nowMs) <= MAX_CLOCK_SKEW_MS
      ? gatewayMs
      : nowMs;
  const rssi = r.rssi ?? r.rsig?.[0]?.rssic;
  const snr = r.lsnr ?? r.rsig?.[0]?.lsnr;
  return accept({
    phyPayload,
    receivedAt: receivedMs / 1000,
    ...(rssi !== undefined ? { rssi } : {}),
    ...(snr !== undefined ? { snr } : {}),
    dataRate: typeof r.datr === "string" ? r.datr : `FSK${r.datr}`,
    frequency: Math.round(r.freq * 1e6),
    ...(r.tmst !== undefined ? { tmst: r.tmst } : {}),
  });
}

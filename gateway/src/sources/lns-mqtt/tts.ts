// The Things Stack v3 uplink (MQTT topic v3/<app>@<tenant>/devices/<device>/up). Fields that are
// empty, 0 or false are omitted from TTS JSON, so f_cnt and f_port may be missing.
import { z } from "zod";
import type { LnsUplink } from "./lns-uplink.js";

const finite = z.number().refine(Number.isFinite, "must be finite");

export const ttsUplinkSchema = z.looseObject({
  end_device_ids: z.looseObject({
    device_id: z.string().optional(),
    dev_eui: z.string().regex(/^[0-9A-Fa-f]{16}$/, "expected a 16-hex-digit DevEUI"),
    dev_addr: z.string().regex(/^[0-9A-Fa-f]{8}$/, "expected an 8-hex-digit DevAddr"),
  }),
  received_at: z.string().optional(),
  uplink_message: z.looseObject({
    f_port: z.number().int().min(0).max(255).optional(),
    f_cnt: z.number().int().min(0).max(0xffffffff).optional(),
    frm_payload: z.string().optional(),
    rx_metadata: z
      .array(
        z.looseObject({
          gateway_ids: z
            .looseObject({ gateway_id: z.string().optional(), eui: z.string().optional() })
            .optional(),
          rssi: finite.optional(),
          channel_rssi: finite.optional(),
          snr: finite.optional(),
        }),
      )
      .optional(),
    settings: z
      .looseObject({
        data_rate: z
          .looseObject({
            lora: z
              .looseObject({
                bandwidth: z.number().int().positive().optional(),
                spreading_factor: z.number().int().min(5).max(12).optional(),
              })
              .optional(),
          })
          .optional(),
        frequency: z.union([z.string().regex(/^\d{1,12}$/), z.number().int().min(0)]).optional(),
      })
      .optional(),
    received_at: z.string().optional(),
  }),
});

export function fromTts(m: z.infer<typeof ttsUplinkSchema>): LnsUplink {
  const up = m.uplink_message;
  const gateways = (up.rx_metadata ?? []).map((r) => ({
    rssi: r.rssi ?? r.channel_rssi,
    snr: r.snr,
    gatewayId: (r.gateway_ids?.eui ?? r.gateway_ids?.gateway_id)?.toLowerCase(),
  }));
  const lora = up.settings?.data_rate?.lora;
  const freq = up.settings?.frequency;
  return {
    devEui: m.end_device_ids.dev_eui.toLowerCase(),
    devAddr: m.end_device_ids.dev_addr.toLowerCase(),
    fCnt: up.f_cnt ?? 0,
    fPort: up.f_port ?? 0,
    payloadBase64: up.frm_payload,
    payloadPath: "$.uplink_message.frm_payload",
    time: up.received_at ?? m.received_at,
    gateways,
    spreadingFactor: lora?.spreading_factor,
    bandwidthHz: lora?.bandwidth,
    frequency: freq === undefined ? undefined : Number(freq),
  };
}

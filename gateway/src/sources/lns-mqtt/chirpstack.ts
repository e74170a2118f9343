// ChirpStack v4 uplink event (MQTT topic application/<app-id>/device/<dev-eui>/event/up, JSON
// marshaler). Protobuf JSON leaves out zero values, so fCnt 0 and fPort 0 are missing fields.
import { z } from "zod";
import type { LnsUplink } from "./lns-uplink.js";

const finite = z.number().refine(Number.isFinite, "must be finite");

export const chirpstackUplinkSchema = z.looseObject({
  deduplicationId: z.string().optional(),
  time: z.string().optional(),
  deviceInfo: z.looseObject({
    deviceName: z.string().optional(),
    devEui: z.string().regex(/^[0-9A-Fa-f]{16}$/, "expected a 16-hex-digit DevEUI"),
  }),
  devAddr: z.string().regex(/^[0-9A-Fa-f]{8}$/, "expected an 8-hex-digit DevAddr"),
  fCnt: z.number().int().min(0).max(0xffffffff).optional(),
  fPort: z.number().int().min(0).max(255).optional(),
  data: z.string().optional(),
  rxInfo: z
    .array(
      z.looseObject({
        gatewayId: z.string().optional(),
        rssi: finite.optional(),
        snr: finite.optional(),
        nsTime: z.string().optional(),
      }),
    )
    .optional(),
  txInfo: z
    .looseObject({
      frequency: z.number().int().min(0).optional(),
      modulation: z
        .looseObject({
          lora: z
            .looseObject({
              bandwidth: z.number().int().positive().optional(),
              spreadingFactor: z.number().int().min(5).max(12).optional(),
            })
            .optional(),
        })
        .optional(),
    })
    .optional(),
});

export function fromChirpstack(m: z.infer<typeof chirpstackUplinkSchema>): LnsUplink {
  const lora = m.txInfo?.modulation?.lora;
  return {
    devEui: m.deviceInfo.devEui.toLowerCase(),
    devAddr: m.devAddr.toLowerCase(),
    fCnt: m.fCnt ?? 0,
    fPort: m.fPort ?? 0,
    payloadBase64: m.data,
    payloadPath: "$.data",
    time: m.time ?? m.rxInfo?.[0]?.nsTime,
    gateways: (m.rxInfo ?? []).map((r) => ({
      rssi: r.rssi,
      snr: r.snr,
      gatewayId: r.gatewayId?.toLowerCase(),
    })),
    spreadingFactor: lora?.spreadingFactor,
    bandwidthHz: lora?.bandwidth,
    frequency: m.txInfo?.frequency,
  };
}

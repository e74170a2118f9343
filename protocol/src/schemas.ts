// zod schemas for every decoded frame and envelope. Decoders are hand-written and Espruino-safe;
// these schemas describe their output for Node consumers (gateway, Node-RED), validate data that
// crosses a process boundary, and generate uplink.schema.json for the LNS codec.
import { z } from "zod";

const hex8 = z.string().regex(/^[0-9a-f]{8}$/);
const u32 = z.number().int().min(0).max(0xffffffff);
const u16 = z.number().int().min(0).max(0xffff);

export const bandFlagsSchema = z.object({
  goalReached: z.boolean(),
  lowBattery: z.boolean(),
  clockNotSet: z.boolean(),
  storageFault: z.boolean(),
  sensorFault: z.boolean(),
});

export const bandAdvertSchema = z.object({
  kind: z.literal("band"),
  version: z.literal(1),
  eid: hex8,
  counter: u32,
  day: u16,
  steps: z.number().int().min(0).max(200000),
  backlog: z
    .object({
      daysAgo: z.number().int().min(1).max(31),
      steps: z.number().int().min(0).max(200000),
    })
    .nullable(),
  batteryMv: z.number().int().min(1810).max(4340).nullable(),
  flags: bandFlagsSchema,
  mac: hex8,
});

export const signalSchema = z.enum(["green", "orange", "red", "none"]);
export const calibrationSchema = z.enum(["auto", "fixed", "recalibrating", "recalibration_failed"]);

export const classroomStatusSchema = z.object({
  signal: signalSchema,
  calibration: calibrationSchema,
  sensorFault: z.boolean(),
  clockNotSet: z.boolean(),
  restarted: z.boolean(),
  systemFault: z.boolean(),
});

export const classroomPowerSchema = z.object({
  external: z.boolean(),
  batteryPercent: z.number().int().min(0).max(100).nullable(),
});

export const climateReadingSchema = z.object({
  co2Ppm: z.number().int().min(0).max(40000),
  temperatureDeci: z.number().int().min(-400).max(1000),
  humidityHalfPercent: z.number().int().min(0).max(200),
});

export const classroomAdvertSchema = z.object({
  kind: z.literal("classroom"),
  version: z.literal(1),
  eid: hex8,
  counter: u32,
  reading: climateReadingSchema.nullable(),
  power: classroomPowerSchema,
  status: classroomStatusSchema,
  mac: hex8,
});

export const readingUplinkSchema = z.object({
  kind: z.literal("reading"),
  seq: u16,
  reading: climateReadingSchema,
  power: classroomPowerSchema,
  status: classroomStatusSchema,
});

export const batchUplinkSchema = z.object({
  kind: z.literal("batch"),
  seq: u16,
  intervalSeconds: z.number().int().min(10).max(3600),
  ageSeconds: z.number().int().min(0).max(255),
  readings: z.array(climateReadingSchema).min(1).max(64),
  power: classroomPowerSchema,
  status: classroomStatusSchema,
});

export const deviceStatusUplinkSchema = z.object({
  kind: z.literal("device_status"),
  firmware: z.string().regex(/^\d+\.\d+$/),
  readingIntervalSeconds: u16,
  uplinkIntervalMinutes: u16,
  thresholds: z.object({
    orangePpm: u16,
    redPpm: u16,
    hysteresisPpm: z.number().int().min(0).max(255),
  }),
  status: classroomStatusSchema,
  power: classroomPowerSchema,
  boots: u16,
});

export const classroomUplinkSchema = z.discriminatedUnion("kind", [
  readingUplinkSchema,
  batchUplinkSchema,
  deviceStatusUplinkSchema,
]);

export const classroomDownlinkSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("set_interval"),
    readingIntervalSeconds: z.number().int().min(10).max(3600),
    uplinkIntervalMinutes: z.number().int().min(1).max(1440),
  }),
  z.object({
    kind: z.literal("set_thresholds"),
    orangePpm: z.number().int().min(400).max(5000),
    redPpm: z.number().int().min(400).max(5000),
    hysteresisPpm: z.number().int().min(0).max(200),
  }),
  z.object({
    kind: z.literal("calibration"),
    command: z.enum(["forced_recalibration", "auto_calibration_on", "auto_calibration_off"]),
    referencePpm: z.number().int().min(0).max(2000),
  }),
  z.object({ kind: z.literal("set_time"), unixSeconds: u32 }),
]);

const extValue = z.union([z.string(), z.number(), z.boolean()]);

export const senmlRecordSchema = z
  .object({
    bver: z.number().int().optional(),
    bn: z.string().optional(),
    bt: z.number().optional(),
    bu: z.string().optional(),
    bv: z.number().optional(),
    bs: z.number().optional(),
    n: z.string().optional(),
    u: z.string().optional(),
    v: z.number().optional(),
    vs: z.string().optional(),
    vb: z.boolean().optional(),
    vd: z.instanceof(Uint8Array).optional(),
    s: z.number().optional(),
    t: z.number().optional(),
    ut: z.number().optional(),
    ext: z.record(z.string(), extValue).optional(),
  })
  .strict();

export const senmlPackSchema = z.array(senmlRecordSchema).min(1);

export const resolvedRecordSchema = z.object({
  name: z.string(),
  unit: z.string().optional(),
  value: z.number().optional(),
  stringValue: z.string().optional(),
  boolValue: z.boolean().optional(),
  sum: z.number().optional(),
  time: z.number(),
  ext: z.record(z.string(), extValue),
});

/** What a consumer reads from one band envelope. */
export const bandEnvelopeReadSchema = z.object({
  pseudonym: z.string().uuid(),
  messageId: z.string().min(1),
  gatewayId: z.string().min(1),
  receivedAt: z.number(),
  days: z
    .array(
      z.object({
        date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        steps: z.number().int().min(0).max(200000),
        final: z.boolean(),
      }),
    )
    .min(1),
  batteryVolts: z.number().nullable(),
  flags: bandFlagsSchema,
});

export const classroomEnvelopeReadSchema = z.object({
  pseudonym: z.string().uuid(),
  messageId: z.string().min(1),
  gatewayId: z.string().min(1),
  receivedAt: z.number(),
  readings: z.array(
    z.object({
      time: z.number(),
      co2Ppm: z.number().nullable(),
      temperature: z.number().nullable(),
      humidity: z.number().nullable(),
    }),
  ),
  signal: signalSchema.nullable(),
  calibration: calibrationSchema.nullable(),
  sensorFault: z.boolean(),
  batteryPercent: z.number().nullable(),
  mains: z.boolean().nullable(),
});

export type BandEnvelopeRead = z.infer<typeof bandEnvelopeReadSchema>;
export type ClassroomEnvelopeRead = z.infer<typeof classroomEnvelopeReadSchema>;

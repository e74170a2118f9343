// The rig config: one YAML file per bench, validated with zod. Only this file differs between the
// simulator (rigs/sim.yaml) and a real rig. Errors name the YAML path and the fix.
import { z } from "zod";
import { pinProblem, type BoardName, type PinRole } from "./pins.js";

const hex32 = z
  .string()
  .regex(
    /^[0-9a-fA-F]{32}$/,
    "must be 32 hex characters (a 128-bit key), e.g. from `npm run gateway -- keys`",
  );

const pinValue = z.union([z.number().int(), z.string()]);

const relay = z.strictObject({
  pin: pinValue,
  /** NO: energised relay closes the contact; NC: energised relay opens it. */
  type: z.enum(["NO", "NC"]).default("NO"),
});

const light = z
  .strictObject({
    red: pinValue.optional(),
    green: pinValue.optional(),
    blue: pinValue.optional(),
    /** Raw ADC readings with the LED off and fully lit (see README: calibrating the light sensors). */
    dark: z.number().int().min(0).max(1023).default(30),
    lit: z.number().int().min(0).max(1023).default(600),
  })
  .refine((l) => l.red !== undefined || l.green !== undefined, {
    message: "name at least the red or the green sensor pin, e.g. red: A0",
  })
  .refine((l) => l.lit > l.dark, { message: "lit must be brighter (higher) than dark" });

const shaker = z
  .strictObject({
    pin: pinValue,
    restDeg: z.number().min(0).max(180).default(90),
    fromDeg: z.number().min(0).max(180).default(60),
    toDeg: z.number().min(0).max(180).default(120),
    /** Swings per second; a brisk walk is about 1.6-2 Hz. */
    hz: z.number().positive().max(5).default(1.5),
    /** Servo axis to the band's centre, cm (the simulator's arm model; on a rig, documentation). */
    armCm: z.number().positive().max(100).default(15),
    /** Servo angle at which the arm hangs straight down (0: the arm is level at 90°). */
    hangDeg: z.number().min(-180).max(360).default(0),
  })
  .refine((s) => Math.abs(s.toDeg - s.fromDeg) >= 10, {
    message: "fromDeg and toDeg must be at least 10 degrees apart for the pedometer to see a swing",
  });

/** A piezo disc taped to a Bangle.js's back: its raw reading while still and while buzzing. */
const vibration = z
  .strictObject({
    pin: pinValue,
    quiet: z.number().int().min(0).max(1023).default(20),
    buzzing: z.number().int().min(0).max(1023).default(500),
  })
  .refine((v) => v.buzzing > v.quiet, { message: "buzzing must read higher than quiet" });

/** Actuators and sensors wired to one device under test. Unknown names are errors. */
const devicePins = z.strictObject({
  power: relay.optional(),
  light: light.optional(),
  vibration: vibration.optional(),
  lowSupply: relay.optional(),
  co2Valve: relay.optional(),
  fan: relay.optional(),
});

const device = z
  .strictObject({
    /** BLE address ("e7:12:34:56:78:9a") or serial port of the device for the espruino CLI. */
    port: z.string().min(1),
    /** Bands: Puck.js v2 (LED signal) or Bangle.js 2 (vibration signal). */
    board: z.enum(["puckjs2", "banglejs2"]).default("puckjs2"),
    id: z.number().int().min(0).max(0xffffffff),
    /** The device key, or the deployment master key from which it is derived. */
    key: hex32.optional(),
    masterKey: hex32.optional(),
    /** Pseudonym scope of the gateway (with masterKey: lets the observer name the device's topic). */
    pseudonymScope: z.string().min(1).optional(),
    pins: devicePins.default({}),
  })
  .refine((d) => (d.key === undefined) !== (d.masterKey === undefined), {
    message: "give exactly one of key (the device key) or masterKey (the deployment master key)",
  });

export const rigConfigSchema = z.strictObject({
  firmata: z.strictObject({
    /** Serial port of the Firmata board (StandardFirmata at 57600 baud). */
    port: z.string().min(1),
    board: z.enum(["uno", "nano", "mega"]).default("uno"),
    baudRate: z.number().int().positive().default(57600),
  }),
  shaker: shaker.optional(),
  devices: z.strictObject({ band: device.optional(), classroom: device.optional() }),
  /** A second Espruino that broadcasts the forged advert (forged-advert scenario). */
  forger: z.strictObject({ port: z.string().min(1) }).optional(),
  gateway: z.strictObject({
    broker: z.string().regex(/^mqtts?:\/\//, "must be an mqtt:// or mqtts:// URL"),
    username: z.string().optional(),
    password: z.string().optional(),
    topicPrefix: z.string().min(1).default("leiden/gw"),
    /** The gateway's Prometheus endpoint, for its rejection counters. */
    metricsUrl: z.url().optional(),
  }),
  ble: z
    .strictObject({
      /** HCI device number for noble (NOBLE_HCI_DEVICE_ID), e.g. 0 for hci0. */
      hciDevice: z.number().int().min(0).optional(),
    })
    .default({}),
});

export type RigConfig = z.infer<typeof rigConfigSchema>;
export type DeviceConfig = NonNullable<RigConfig["devices"]["band"]>;
export type RelayConfig = z.infer<typeof relay>;
export type LightConfig = z.infer<typeof light>;
export type ShakerConfig = z.infer<typeof shaker>;

/** Every pin the config names, with its YAML path and role, for range checks and conflicts. */
export function pinsOf(c: RigConfig): { path: string; pin: number | string; role: PinRole }[] {
  const out: { path: string; pin: number | string; role: PinRole }[] = [];
  if (c.shaker) out.push({ path: "shaker.pin", pin: c.shaker.pin, role: "digital" });
  for (const kind of ["band", "classroom"] as const) {
    const p = c.devices[kind]?.pins;
    if (!p) continue;
    const base = `devices.${kind}.pins`;
    for (const r of ["power", "lowSupply", "co2Valve", "fan"] as const) {
      const v = p[r];
      if (v) out.push({ path: `${base}.${r}.pin`, pin: v.pin, role: "digital" });
    }
    for (const ch of ["red", "green", "blue"] as const) {
      const v = p.light?.[ch];
      if (v !== undefined) out.push({ path: `${base}.light.${ch}`, pin: v, role: "analog" });
    }
    if (p.vibration)
      out.push({ path: `${base}.vibration.pin`, pin: p.vibration.pin, role: "analog" });
  }
  return out;
}

/** Range and double-use checks that need the board: messages name the path and the fix. */
export function pinIssues(c: RigConfig): string[] {
  const board: BoardName = c.firmata.board;
  const issues: string[] = [];
  const used = new Map<string, string>();
  for (const p of pinsOf(c)) {
    const problem = pinProblem(board, p.pin, p.role);
    if (problem) {
      issues.push(`${p.path}: ${problem}`);
      continue;
    }
    const key = String(p.pin);
    const other = used.get(key);
    if (other)
      issues.push(`${p.path}: pin ${key} is already used by ${other}: wire it to a free pin`);
    else used.set(key, p.path);
  }
  return issues;
}

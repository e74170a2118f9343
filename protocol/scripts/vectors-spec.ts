// Builds the protocol test vectors deterministically from fixed keys and times. `npm run vectors -w
// protocol` writes protocol/vectors/*.json; vectors.test.ts fails when the code and the committed
// files disagree, so a change to any byte layout is always a deliberate, reviewed change.
import {
  bandEnvelope,
  deriveTimeKey,
  loraSessionTag,
  encodeTimeBeacon,
  classroomAdvertEnvelope,
  classroomUplinkEnvelope,
  cmacKey,
  derivePseudonymKey,
  deriveDeviceKey,
  deviceKeys,
  encodeBandAdvert,
  encodeClassroomAdvert,
  encodeDownlink,
  encodePack,
  encodeUplink,
  epochIdentity,
  epochOf,
  frameMac,
  localDay,
  messageId,
  nodeAes128,
  pseudonymOf,
  toHex,
  BAND_SIGNED_BYTES,
  CLASSROOM_SIGNED_BYTES,
  type BandReport,
  type ClassroomReport,
  type ClassroomDownlink,
  type ClassroomUplink,
  type ReceiveMeta,
  type SenmlPack,
} from "../src/index.js";

export const MASTER_KEY_HEX = "000102030405060708090a0b0c0d0e0f";
export const PSEUDONYM_SCOPE = "leiden-pilot-2027";
const aes = nodeAes128;
const master = Uint8Array.from(Buffer.from(MASTER_KEY_HEX, "hex"));
const pseudonymKey = derivePseudonymKey(aes, master, PSEUDONYM_SCOPE);

function device(id: number) {
  const key = deriveDeviceKey(aes, master, id);
  const k = deviceKeys(aes, key);
  return {
    id,
    key,
    mac: cmacKey(aes, k.mac),
    eidKey: k.eid,
    pseudonym: pseudonymOf(aes, pseudonymKey, id),
  };
}

/** Pack as JSON (ext fields kept, byte strings as hex). */
function packJson(pack: SenmlPack): unknown {
  return JSON.parse(JSON.stringify(pack));
}

const noFlags = {
  goalReached: false,
  lowBattery: false,
  clockNotSet: false,
  storageFault: false,
  sensorFault: false,
};

function meta(
  d: ReturnType<typeof device>,
  at: number,
  counter: number,
  channel: "ble" | "lora",
  extra: Partial<ReceiveMeta> = {},
): ReceiveMeta {
  return {
    gatewayId: "gw-leiden-01",
    receivedAt: at,
    source: channel === "ble" ? "ble" : "lora",
    messageId:
      channel === "ble"
        ? messageId(d.pseudonym, "ble", counter)
        : messageId(d.pseudonym, "lora", counter, loraSessionTag(aes, pseudonymKey, "260b1234")),
    counter,
    ...extra,
  };
}

/** Re-signs a mutated frame, so a vector isolates one defect other than the MAC. */
function resign(frame: Uint8Array, signed: number, mac: ReturnType<typeof cmacKey>): Uint8Array {
  const f = Uint8Array.from(frame);
  const m = frameMac(mac, f, signed);
  for (let i = 0; i < 4; i++) f[signed + i] = m[i]!;
  return f;
}

export function bandVectors() {
  const band = device(0x00000101);
  const cases: {
    name: string;
    at: number;
    report: Omit<BandReport, "eid" | "day"> & { dayOffset?: number };
  }[] = [
    {
      name: "weekday morning, no backlog",
      at: 1795425000.125,
      report: { counter: 1, steps: 2345, backlog: null, batteryMv: 3010, flags: noFlags },
    },
    {
      name: "with yesterday in the backlog",
      at: 1795425600.5,
      report: {
        counter: 2,
        steps: 2410,
        backlog: { daysAgo: 1, steps: 9120 },
        batteryMv: 3010,
        flags: noFlags,
      },
    },
    {
      name: "14 days ago in the backlog",
      at: 1795425602.5,
      report: {
        counter: 15,
        steps: 2410,
        backlog: { daysAgo: 14, steps: 4033 },
        batteryMv: 3000,
        flags: noFlags,
      },
    },
    {
      name: "goal reached, low battery",
      at: 1795470000.0,
      report: {
        counter: 400,
        steps: 10250,
        backlog: { daysAgo: 3, steps: 0 },
        batteryMv: 2380,
        flags: { ...noFlags, goalReached: true, lowBattery: true },
      },
    },
    {
      name: "clock not set after a battery swap",
      at: 1795500000.0,
      report: {
        counter: 401,
        steps: 12,
        backlog: null,
        batteryMv: null,
        flags: { ...noFlags, clockNotSet: true },
      },
    },
    {
      name: "summer time day (CEST)",
      at: 1782900000.0,
      report: {
        counter: 90000,
        steps: 7777,
        backlog: { daysAgo: 2, steps: 11002 },
        batteryMv: 2950,
        flags: noFlags,
      },
    },
  ];
  const valid = cases.map((c) => {
    const id = epochIdentity(aes, band.eidKey, epochOf(c.at));
    const report: BandReport = { ...c.report, eid: toHex(id.eid), day: localDay(c.at) };
    const frame = encodeBandAdvert(report, id.eid, band.mac);
    const m = meta(band, c.at, report.counter, "ble", { rssi: -67 });
    const env = bandEnvelope(report, band.pseudonym, m);
    return {
      name: c.name,
      hex: toHex(frame),
      deviceId: band.id,
      deviceKey: toHex(band.key),
      epoch: epochOf(c.at),
      address: id.address,
      decoded: { kind: "band", version: 1, ...report, mac: toHex(frame.subarray(20)) },
      envelope: {
        pseudonym: band.pseudonym,
        meta: m,
        topicKind: env.kind,
        senml: packJson(env.pack),
        cbor: toHex(encodePack(env.pack)),
      },
    };
  });
  const base = Uint8Array.from(Buffer.from(valid[1]!.hex, "hex"));
  const mut = (f: (b: Uint8Array) => void, signed = true) => {
    const b = Uint8Array.from(base);
    f(b);
    return toHex(signed ? resign(b, BAND_SIGNED_BYTES, band.mac) : b);
  };
  const invalid = [
    { name: "empty", hex: "", reason: "truncated" },
    { name: "one byte short", hex: toHex(base.subarray(0, 23)), reason: "truncated" },
    { name: "one byte too many", hex: toHex(base) + "00", reason: "too_long" },
    { name: "unknown frame type 0xf", hex: mut((b) => (b[0] = 0xf1)), reason: "unknown_type" },
    { name: "band frame version 2", hex: mut((b) => (b[0] = 0x12)), reason: "bad_version" },
    {
      name: "steps changed after signing",
      hex: mut((b) => (b[13] = b[13]! ^ 1), false),
      reason: "bad_mac",
    },
    {
      name: "MAC byte flipped",
      hex: mut((b) => (b[23] = b[23]! ^ 0x80), false),
      reason: "bad_mac",
    },
    {
      name: "steps above 200000",
      hex: mut((b) => {
        b[11] = 0x04;
        b[12] = 0x00;
        b[13] = 0x00;
      }),
      reason: "out_of_range",
    },
    { name: "backlog 40 days ago", hex: mut((b) => (b[14] = 40)), reason: "out_of_range" },
    { name: "backlog steps without a day", hex: mut((b) => (b[14] = 0)), reason: "out_of_range" },
    { name: "battery byte 0", hex: mut((b) => (b[18] = 0)), reason: "out_of_range" },
    { name: "reserved flag bit 7", hex: mut((b) => (b[19] = 0x80)), reason: "reserved_bits" },
  ];
  return {
    description:
      "Band adverts: 24 bytes of manufacturer data under company id 0x0590. Key: the device key (hex); MAC and EID keys derive from it.",
    masterKey: MASTER_KEY_HEX,
    pseudonymScope: PSEUDONYM_SCOPE,
    valid,
    invalid,
  };
}

export function classroomAdvertVectors() {
  const node = device(0x00020001);
  const st = {
    signal: "green",
    calibration: "auto",
    sensorFault: false,
    clockNotSet: false,
    restarted: false,
    systemFault: false,
  } as const;
  const cases: { name: string; at: number; report: Omit<ClassroomReport, "eid"> }[] = [
    {
      name: "green classroom",
      at: 1795425000.0,
      report: {
        counter: 10,
        reading: { co2Ppm: 620, temperatureDeci: 213, humidityHalfPercent: 88 },
        power: { external: true, batteryPercent: null },
        status: st,
      },
    },
    {
      name: "red classroom, manual calibration",
      at: 1795431000.0,
      report: {
        counter: 11,
        reading: { co2Ppm: 1432, temperatureDeci: 235, humidityHalfPercent: 101 },
        power: { external: true, batteryPercent: 80 },
        status: { ...st, signal: "red", calibration: "fixed" },
      },
    },
    {
      name: "sensor fault, no reading",
      at: 1795432000.0,
      report: {
        counter: 12,
        reading: null,
        power: { external: false, batteryPercent: 35 },
        status: { ...st, signal: "none", sensorFault: true, restarted: true },
      },
    },
    {
      name: "cold room below zero",
      at: 1795433000.0,
      report: {
        counter: 13,
        reading: { co2Ppm: 410, temperatureDeci: -25, humidityHalfPercent: 170 },
        power: { external: true, batteryPercent: null },
        status: st,
      },
    },
    {
      name: "LoRa module fault (system fault)",
      at: 1795434000.0,
      report: {
        counter: 14,
        reading: { co2Ppm: 890, temperatureDeci: 207, humidityHalfPercent: 95 },
        power: { external: true, batteryPercent: null },
        status: { ...st, systemFault: true },
      },
    },
  ];
  const valid = cases.map((c) => {
    const id = epochIdentity(aes, node.eidKey, epochOf(c.at));
    const report: ClassroomReport = { ...c.report, eid: toHex(id.eid) };
    const frame = encodeClassroomAdvert(report, id.eid, node.mac);
    const m = meta(node, c.at, report.counter, "ble", { rssi: -80 });
    const env = classroomAdvertEnvelope(report, node.pseudonym, m);
    return {
      name: c.name,
      hex: toHex(frame),
      deviceId: node.id,
      deviceKey: toHex(node.key),
      epoch: epochOf(c.at),
      address: id.address,
      decoded: { kind: "classroom", version: 1, ...report, mac: toHex(frame.subarray(16)) },
      envelope: {
        pseudonym: node.pseudonym,
        meta: m,
        topicKind: env.kind,
        senml: packJson(env.pack),
        cbor: toHex(encodePack(env.pack)),
      },
    };
  });
  const base = Uint8Array.from(Buffer.from(valid[0]!.hex, "hex"));
  const mut = (f: (b: Uint8Array) => void) => {
    const b = Uint8Array.from(base);
    f(b);
    return toHex(resign(b, CLASSROOM_SIGNED_BYTES, node.mac));
  };
  const invalid = [
    { name: "truncated", hex: toHex(base.subarray(0, 12)), reason: "truncated" },
    { name: "too long", hex: toHex(base) + "ff", reason: "too_long" },
    { name: "version 3", hex: mut((b) => (b[0] = 0x23)), reason: "bad_version" },
    {
      name: "CO2 above 40000 ppm",
      hex: mut((b) => {
        b[9] = 0xc3;
        b[10] = 0x51;
      }),
      reason: "out_of_range",
    },
    { name: "humidity above 100 %", hex: mut((b) => (b[13] = 201)), reason: "out_of_range" },
    { name: "battery 110 %", hex: mut((b) => (b[14] = 110)), reason: "out_of_range" },
    {
      name: "temperature below -40 C",
      hex: mut((b) => {
        b[11] = 0xfe;
        b[12] = 0x6f;
      }),
      reason: "out_of_range",
    },
    {
      name: "no reading but temperature set",
      hex: mut((b) => {
        b[9] = 0xff;
        b[10] = 0xff;
      }),
      reason: "out_of_range",
    },
    { name: "MAC forged", hex: toHex(base.subarray(0, 16)) + "deadbeef", reason: "bad_mac" },
    {
      name: "band type with classroom length",
      hex: "11" + toHex(base.subarray(1)),
      reason: "truncated",
    },
  ];
  return {
    description: "Classroom BLE adverts: 20 bytes of manufacturer data under 0x0590.",
    masterKey: MASTER_KEY_HEX,
    pseudonymScope: PSEUDONYM_SCOPE,
    valid,
    invalid,
  };
}

export function loraUplinkVectors() {
  const node = device(0x00020002);
  const st = {
    signal: "orange",
    calibration: "auto",
    sensorFault: false,
    clockNotSet: true,
    restarted: false,
    systemFault: false,
  } as const;
  const pw = { external: true, batteryPercent: null };
  const batch10: ClassroomUplink = {
    kind: "batch",
    seq: 65531,
    intervalSeconds: 60,
    ageSeconds: 4,
    power: pw,
    status: st,
    readings: [1010, 1024, 1041, 1055, 1068, 1090, 1102, 1135, 1150, 1149].map((co2, i) => ({
      co2Ppm: co2,
      temperatureDeci: 221 + (i >> 2),
      humidityHalfPercent: 96 + (i % 2),
    })),
  };
  const cases: { name: string; at: number; fcnt: number; uplink: ClassroomUplink }[] = [
    {
      name: "single reading",
      at: 1795425000.0,
      fcnt: 17,
      uplink: {
        kind: "reading",
        seq: 17,
        reading: { co2Ppm: 980, temperatureDeci: 219, humidityHalfPercent: 94 },
        power: pw,
        status: { ...st, signal: "green" },
      },
    },
    { name: "batch of 10 minute readings, seq wraps", at: 1795425600.0, fcnt: 18, uplink: batch10 },
    {
      name: "batch with a window opened (large CO2 drop)",
      at: 1795426200.0,
      fcnt: 19,
      uplink: {
        ...batch10,
        seq: 5,
        readings: [
          { co2Ppm: 1450, temperatureDeci: 230, humidityHalfPercent: 110 },
          { co2Ppm: 900, temperatureDeci: 205, humidityHalfPercent: 100 },
          { co2Ppm: 520, temperatureDeci: 190, humidityHalfPercent: 90 },
        ],
        status: { ...st, signal: "green" },
      },
    },
    {
      name: "batch of one",
      at: 1795426800.0,
      fcnt: 20,
      uplink: {
        ...batch10,
        seq: 8,
        readings: [{ co2Ppm: 600, temperatureDeci: 200, humidityHalfPercent: 90 }],
      },
    },
    {
      name: "device status after a downlink",
      at: 1795427000.0,
      fcnt: 21,
      uplink: {
        kind: "device_status",
        firmware: "1.2",
        readingIntervalSeconds: 60,
        uplinkIntervalMinutes: 10,
        thresholds: { orangePpm: 800, redPpm: 1200, hysteresisPpm: 50 },
        status: st,
        power: { external: true, batteryPercent: 100 },
        boots: 3,
      },
    },
  ];
  const valid = cases.map((c) => {
    const enc = encodeUplink(c.uplink);
    const m = meta(node, c.at, c.fcnt, "lora", { rssi: -112, snr: -3.5 });
    const env = classroomUplinkEnvelope(c.uplink, node.pseudonym, m);
    return {
      name: c.name,
      fPort: enc.fPort,
      hex: toHex(enc.bytes),
      bytes: enc.bytes.length,
      decoded: c.uplink,
      envelope: {
        pseudonym: node.pseudonym,
        meta: m,
        topicKind: env.kind,
        senml: packJson(env.pack),
        cbor: toHex(encodePack(env.pack)),
      },
    };
  });
  const batchHex = valid[1]!.hex;
  const invalid = [
    { name: "unknown fPort 99", fPort: 99, hex: "00", reason: "unknown_type" },
    {
      name: "reading one byte short",
      fPort: 1,
      hex: valid[0]!.hex.slice(0, 16),
      reason: "truncated",
    },
    { name: "reading one byte too many", fPort: 1, hex: valid[0]!.hex + "00", reason: "too_long" },
    {
      name: "reading with CO2 50000 ppm",
      fPort: 1,
      hex: "0011c350" + valid[0]!.hex.slice(8),
      reason: "out_of_range",
    },
    { name: "batch header only", fPort: 2, hex: batchHex.slice(0, 20), reason: "truncated" },
    {
      name: "batch ends inside a reading",
      fPort: 2,
      hex: batchHex.slice(0, batchHex.length - 2),
      reason: "truncated",
    },
    { name: "batch with trailing bytes", fPort: 2, hex: batchHex + "00", reason: "too_long" },
    {
      name: "batch count 0",
      fPort: 2,
      hex: batchHex.slice(0, 4) + "00" + batchHex.slice(6),
      reason: "out_of_range",
    },
    {
      name: "batch interval 5 s",
      fPort: 2,
      hex: batchHex.slice(0, 6) + "0005" + batchHex.slice(10),
      reason: "out_of_range",
    },
    {
      name: "batch delta varint of 4 bytes",
      fPort: 2,
      hex: valid[3]!.hex.slice(0, 4) + "02" + valid[3]!.hex.slice(6) + "ffffff7f0000",
      reason: "bad_encoding",
    },
    {
      name: "reading with temperature 100.1 C",
      fPort: 1,
      hex: valid[0]!.hex.slice(0, 8) + "03e9" + valid[0]!.hex.slice(12),
      reason: "out_of_range",
    },
    {
      name: "device status truncated",
      fPort: 3,
      hex: valid[4]!.hex.slice(0, 20),
      reason: "truncated",
    },
  ];
  return {
    description:
      "Classroom LoRaWAN uplinks (FRMPayload after decryption): fPort 1 reading, 2 batch, 3 device status.",
    valid,
    invalid,
  };
}

export function loraDownlinkVectors() {
  const cases: { name: string; downlink: ClassroomDownlink }[] = [
    {
      name: "reading every minute, uplink every 10 minutes",
      downlink: { kind: "set_interval", readingIntervalSeconds: 60, uplinkIntervalMinutes: 10 },
    },
    {
      name: "Frisse Scholen class B thresholds",
      downlink: { kind: "set_thresholds", orangePpm: 800, redPpm: 950, hysteresisPpm: 50 },
    },
    {
      name: "Dutch building rules thresholds",
      downlink: { kind: "set_thresholds", orangePpm: 1000, redPpm: 1200, hysteresisPpm: 50 },
    },
    {
      name: "forced recalibration to 400 ppm",
      downlink: { kind: "calibration", command: "forced_recalibration", referencePpm: 400 },
    },
    {
      name: "automatic self-calibration off",
      downlink: { kind: "calibration", command: "auto_calibration_off", referencePpm: 0 },
    },
    { name: "set time", downlink: { kind: "set_time", unixSeconds: 1795425000 } },
  ];
  const valid = cases.map((c) => {
    const enc = encodeDownlink(c.downlink);
    if (!enc.ok) throw new Error(c.name + ": " + enc.detail);
    return {
      name: c.name,
      fPort: enc.value.fPort,
      hex: toHex(enc.value.bytes),
      decoded: c.downlink,
    };
  });
  const invalid = [
    { name: "orange not below red", fPort: 11, hex: "04b004b032", reason: "out_of_range" },
    { name: "hysteresis 250 ppm", fPort: 11, hex: "03200514fa", reason: "out_of_range" },
    { name: "calibration command 9", fPort: 12, hex: "090190", reason: "out_of_range" },
    { name: "recalibration to 300 ppm", fPort: 12, hex: "01012c", reason: "out_of_range" },
    { name: "reading interval 0", fPort: 10, hex: "0000000a", reason: "out_of_range" },
    { name: "time before 2020", fPort: 13, hex: "00000001", reason: "out_of_range" },
    { name: "interval truncated", fPort: 10, hex: "003c00", reason: "truncated" },
    { name: "unknown fPort 20", fPort: 20, hex: "01", reason: "unknown_type" },
  ];
  return {
    description:
      "Classroom LoRaWAN downlinks: fPort 10 interval, 11 thresholds, 12 calibration, 13 time.",
    valid,
    invalid,
  };
}

export function timeBeaconVectors() {
  const timeKey = cmacKey(aes, deriveTimeKey(aes, master));
  const valid = [1795425000, 1782900000, 4102444799].map((t) => ({
    name: "time " + new Date(t * 1000).toISOString(),
    unixSeconds: t,
    hex: toHex(encodeTimeBeacon(t, timeKey)),
  }));
  const good = valid[0]!.hex;
  const invalid = [
    {
      name: "time changed after signing",
      hex: good.slice(0, 2) + "6b0378e9" + good.slice(10),
      reason: "bad_mac",
    },
    { name: "truncated", hex: good.slice(0, 20), reason: "truncated" },
    { name: "too long", hex: good + "00", reason: "too_long" },
    { name: "band frame type", hex: "11" + good.slice(2), reason: "unknown_type" },
    { name: "version 2", hex: "32" + good.slice(2), reason: "bad_version" },
  ];
  return {
    description:
      "Gateway time beacons (13 bytes under 0x0590), signed with the deployment time key.",
    masterKey: MASTER_KEY_HEX,
    valid,
    invalid,
  };
}

export const VECTOR_FILES = {
  "band-advert.json": bandVectors,
  "classroom-advert.json": classroomAdvertVectors,
  "lora-uplink.json": loraUplinkVectors,
  "lora-downlink.json": loraDownlinkVectors,
  "time-beacon.json": timeBeaconVectors,
} as const;

// Classroom BLE advert: 20 bytes of manufacturer data under 0x0590. Byte table: protocol/README.md.
import {
  readU16,
  readU32,
  sliceBytes,
  toHex,
  writeU16,
  writeU32,
  type ByteSource,
} from "./bytes.js";
import { frameMac, MAC_BYTES } from "./band-advert.js";
import { ADVERT_EID_OFFSET, EID_BYTES } from "./ephemeral.js";
import type { CmacKey } from "./cmac.js";
import {
  checkReading,
  isRejection,
  parsePower,
  parseStatus,
  powerByte,
  readReading,
  statusByte,
  writeReading,
  type ClassroomPower,
  type ClassroomStatus,
  type ClimateReading,
} from "./classroom-reading.js";
import { accept, reject, type Result } from "./result.js";

export const CLASSROOM_FRAME_TYPE = 2;
export const CLASSROOM_FRAME_VERSION = 1;
export const CLASSROOM_ADVERT_BYTES = 20;
export const CLASSROOM_SIGNED_BYTES = 16;

/** The signed content of a classroom advert, as the node encodes it and a gateway decodes it. */
export interface ClassroomReport {
  eid: string;
  counter: number;
  reading: ClimateReading | null; // null while the sensor has no valid reading
  power: ClassroomPower;
  status: ClassroomStatus;
}

export interface ClassroomAdvert extends ClassroomReport {
  kind: "classroom";
  version: number;
  mac: string;
}

/** CO2 value that marks "no valid reading"; temperature and humidity bytes are then zero. */
export const NO_CO2 = 0xffff;

export function encodeClassroomAdvert(
  c: ClassroomReport,
  eid: ByteSource,
  macKey: CmacKey,
): Uint8Array {
  const f = new Uint8Array(CLASSROOM_ADVERT_BYTES);
  f[0] = (CLASSROOM_FRAME_TYPE << 4) | CLASSROOM_FRAME_VERSION;
  for (let i = 0; i < EID_BYTES; i++) f[ADVERT_EID_OFFSET + i] = eid[i]!;
  writeU32(f, 5, c.counter);
  if (c.reading) {
    const err = checkReading(c.reading);
    if (err) throw new Error(err);
    writeReading(f, 9, c.reading);
  } else {
    writeU16(f, 9, NO_CO2);
  }
  f[14] = powerByte(c.power);
  f[15] = statusByte(c.status);
  const mac = frameMac(macKey, f, CLASSROOM_SIGNED_BYTES);
  for (let i = 0; i < MAC_BYTES; i++) f[CLASSROOM_SIGNED_BYTES + i] = mac[i]!;
  return f;
}

export function decodeClassroomAdvert(b: ByteSource): Result<ClassroomAdvert> {
  if (b.length < 1) return reject("truncated", "empty frame");
  if (b[0]! >> 4 !== CLASSROOM_FRAME_TYPE)
    return reject("unknown_type", "frame type " + (b[0]! >> 4) + " is not a classroom advert");
  if ((b[0]! & 15) !== CLASSROOM_FRAME_VERSION)
    return reject(
      "bad_version",
      "classroom advert version " + (b[0]! & 15) + " (this reader knows 1)",
    );
  if (b.length < CLASSROOM_ADVERT_BYTES)
    return reject("truncated", "classroom advert has " + b.length + " of 20 bytes");
  if (b.length > CLASSROOM_ADVERT_BYTES)
    return reject("too_long", "classroom advert has " + b.length + " bytes, expected 20");
  const status = parseStatus(b[15]!);
  const power = parsePower(b[14]!);
  if (isRejection(power)) return power;
  let reading: ClimateReading | null = null;
  if (readU16(b, 9) !== NO_CO2) {
    reading = readReading(b, 9);
    const err = checkReading(reading);
    if (err) return reject("out_of_range", err);
  } else if (b[11] !== 0 || b[12] !== 0 || b[13] !== 0) {
    return reject("out_of_range", "no CO2 reading but temperature/humidity bytes are set");
  }
  return accept({
    kind: "classroom",
    version: CLASSROOM_FRAME_VERSION,
    eid: toHex(sliceBytes(b, ADVERT_EID_OFFSET, ADVERT_EID_OFFSET + EID_BYTES)),
    counter: readU32(b, 5),
    reading: reading,
    power: power,
    status: status,
    mac: toHex(sliceBytes(b, 16, 20)),
  });
}

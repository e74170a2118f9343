// BLE manufacturer data under Espruino's company id 0x0590 (Bluetooth SIG assigned numbers): the
// one place that adds the 2-byte prefix, strips it, and builds or finds the advertising-data
// structure that carries it. Devices, gateway, simulator and HIL observer all use these.
// Espruino-safe (no subarray views are kept: results are copies or plain arrays).
import { COMPANY_ID } from "./band-advert.js";

/** AD type of "Manufacturer Specific Data" (Bluetooth Core Supplement, part A, 1.4). */
export const AD_TYPE_MANUFACTURER_DATA = 0xff;

/** Manufacturer data as BLE carries it: company id (little-endian), then the frame. */
export function withCompanyId(frame: ArrayLike<number>): Uint8Array {
  const m = new Uint8Array(frame.length + 2);
  m[0] = COMPANY_ID & 0xff;
  m[1] = COMPANY_ID >> 8;
  for (let i = 0; i < frame.length; i++) m[i + 2] = frame[i]!;
  return m;
}

/** The company id at the start of manufacturer data, or -1 when shorter than 2 bytes. */
export function companyIdOf(m: ArrayLike<number>): number {
  return m.length < 2 ? -1 : m[0]! | (m[1]! << 8);
}

/** The frame in manufacturer data under 0x0590 (the 2-byte prefix removed), or null. */
export function frameUnderCompanyId(m: ArrayLike<number> | undefined | null): Uint8Array | null {
  if (!m || companyIdOf(m) !== COMPANY_ID) return null;
  const out = new Uint8Array(m.length - 2);
  for (let i = 2; i < m.length; i++) out[i - 2] = m[i]!;
  return out;
}

/** A raw advertising packet of one manufacturer-data AD structure (no flags: non-connectable). */
export function manufacturerAdvertPacket(frame: ArrayLike<number>): number[] {
  const p: number[] = [
    frame.length + 3,
    AD_TYPE_MANUFACTURER_DATA,
    COMPANY_ID & 0xff,
    COMPANY_ID >> 8,
  ];
  for (let i = 0; i < frame.length; i++) p.push(frame[i]!);
  return p;
}

/** The frame in a raw advertising packet's manufacturer-data structure under 0x0590, or null. */
export function frameInAdvertPacket(p: ArrayLike<number>): Uint8Array | null {
  let i = 0;
  while (i < p.length) {
    const len = p[i]!;
    if (len === 0 || i + 1 + len > p.length) break;
    if (p[i + 1] === AD_TYPE_MANUFACTURER_DATA && len >= 3) {
      const m: number[] = [];
      for (let j = i + 2; j < i + 1 + len; j++) m.push(p[j]!);
      const frame = frameUnderCompanyId(m);
      if (frame) return frame;
    }
    i += 1 + len;
  }
  return null;
}

/** Espruino `NRF.findDevices`/`requestDevice` filter: only adverts under 0x0590 are kept. */
export function companyIdScanFilter(): { manufacturerData: Record<string, object> } {
  const m: Record<string, object> = {};
  m[String(COMPANY_ID)] = {};
  return { manufacturerData: m };
}

// What an enrolment page may write to a device: id, key, time-beacon key and clock (plus the
// classroom node's LoRaWAN identity and room name). Pure and Espruino-safe: it checks every field
// before anything is written, and produces the exact liot.cfg text (band-config.ts parses it).
import { fromHex, isIntIn, validRoomName } from "@leiden-iot/protocol/device";
import type { DeviceConfig } from "../band/band-config.js";

export type EnrolKind = "band" | "classroom";

/** The earliest clock an enrolment may set (2024-01-01): a page with a wrong clock is refused. */
export const ENROL_EARLIEST_TIME = 1704067200;

export type EnrolCheck = { ok: true; text: string; id: number } | { ok: false; error: string };

function hexOf(v: unknown, bytes: number): boolean {
  if (typeof v !== "string" || v.length !== bytes * 2) return false;
  const b = fromHex(v);
  return !!b && b.length === bytes;
}

/**
 * Checks a request against the device's kind and current configuration. An enrolled device is
 * only re-enrolled with `reset: true` (the page asks the user to confirm that explicitly).
 */
export function checkEnrolment(
  kind: EnrolKind,
  req: unknown,
  current: DeviceConfig | null,
): EnrolCheck {
  if (!req || typeof req !== "object") return { ok: false, error: "request" };
  const r = req as Record<string, unknown>;
  if (current && r.reset !== true) return { ok: false, error: "enrolled" };
  if (!isIntIn(r.id as number, 1, 0xffffffff)) return { ok: false, error: "id" };
  if (typeof r.t !== "number" || !(r.t >= ENROL_EARLIEST_TIME)) return { ok: false, error: "t" };
  const band = kind === "band";
  // Field name, hex bytes: every key and identity is checked before anything is written.
  const hex = band
    ? ["key", 16, "tkey", 16]
    : ["key", 16, "tkey", 16, "appkey", 16, "deveui", 8, "appeui", 8];
  const cfg: Record<string, unknown> = { id: r.id };
  for (let i = 0; i < hex.length; i += 2) {
    const f = hex[i] as string;
    if (!hexOf(r[f], hex[i + 1] as number)) return { ok: false, error: f };
    cfg[f] = r[f];
  }
  if (band) {
    const goal = r.goal === undefined ? 8000 : r.goal;
    if (!isIntIn(goal as number, 100, 100000)) return { ok: false, error: "goal" };
    cfg.goal = goal;
  } else {
    if (!validRoomName(r.room)) return { ok: false, error: "room" };
    const preset = r.preset === undefined ? "default" : r.preset;
    if (["default", "A", "B", "C"].indexOf(preset as string) < 0)
      return { ok: false, error: "preset" };
    cfg.preset = preset;
    cfg.room = r.room;
  }
  return { ok: true, text: JSON.stringify(cfg), id: r.id as number };
}

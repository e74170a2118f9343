// Byte helpers in the Espruino-safe subset: no Buffer, no spread, no Array.from, no padStart.
// They accept plain number arrays too, so the generated ES5 LoRaWAN codec can reuse them.

/** Anything indexable as bytes: Uint8Array on Node and Espruino, number[] inside LNS codecs. */
export interface ByteSource {
  readonly length: number;
  readonly [index: number]: number;
}

/**
 * Anything bytes can be written to. Not `Uint8Array | number[]`: typescript-to-lua indexes a type
 * that may be an array from 1, and the Lua Uint8Array from 0 (protocol/wireshark).
 */
export interface ByteSink {
  readonly length: number;
  [index: number]: number;
}

const HEX = "0123456789abcdef";

export function toHex(bytes: ByteSource): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]! & 0xff;
    s += HEX.charAt(b >> 4) + HEX.charAt(b & 15);
  }
  return s;
}

/** Parses hex (case-insensitive, optional 0x, spaces and colons ignored). Returns null when invalid. */
export function fromHex(hex: string): Uint8Array | null {
  let clean = "";
  for (let i = 0; i < hex.length; i++) {
    const c = hex.charAt(i);
    if (c !== " " && c !== ":" && c !== "-") clean += c;
  }
  if (
    clean.length > 1 &&
    clean.charAt(0) === "0" &&
    (clean.charAt(1) === "x" || clean.charAt(1) === "X")
  ) {
    clean = clean.substring(2);
  }
  if (clean.length % 2 !== 0) return null;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = HEX.indexOf(clean.charAt(2 * i).toLowerCase());
    const lo = HEX.indexOf(clean.charAt(2 * i + 1).toLowerCase());
    if (hi < 0 || lo < 0) return null;
    out[i] = hi * 16 + lo;
  }
  return out;
}

/** Hex of an unsigned 32-bit number, always 8 characters. */
export function u32Hex(n: number): string {
  const b = new Uint8Array(4);
  writeU32(b, 0, n);
  return toHex(b);
}

export function concatBytes(a: ByteSource, b: ByteSource): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]!;
  for (let i = 0; i < b.length; i++) out[a.length + i] = b[i]!;
  return out;
}

export function sliceBytes(src: ByteSource, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  for (let i = start; i < end; i++) out[i - start] = src[i]!;
  return out;
}

/** Constant-time comparison of the first n bytes. */
export function equalBytes(a: ByteSource, b: ByteSource, n: number): boolean {
  if (a.length < n || b.length < n) return false;
  let diff = 0;
  for (let i = 0; i < n; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** ASCII only (labels, identifiers): Espruino strings are 8-bit. */
export function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export function readU16(b: ByteSource, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}
export function readI16(b: ByteSource, o: number): number {
  const v = readU16(b, o);
  return v >= 0x8000 ? v - 0x10000 : v;
}
export function readU24(b: ByteSource, o: number): number {
  return b[o]! * 65536 + (b[o + 1]! << 8) + b[o + 2]!;
}
export function readU32(b: ByteSource, o: number): number {
  return b[o]! * 16777216 + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
}

export function writeU16(b: ByteSink, o: number, v: number): void {
  b[o] = (v >> 8) & 0xff;
  b[o + 1] = v & 0xff;
}
export function writeU24(b: ByteSink, o: number, v: number): void {
  b[o] = Math.floor(v / 65536) & 0xff;
  b[o + 1] = (v >> 8) & 0xff;
  b[o + 2] = v & 0xff;
}
export function writeU32(b: ByteSink, o: number, v: number): void {
  b[o] = Math.floor(v / 16777216) & 0xff;
  b[o + 1] = (v >> 16) & 0xff;
  b[o + 2] = (v >> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

/** True for a whole number in [min, max] (Number.isInteger is missing on Espruino). */
export function isIntIn(v: number, min: number, max: number): boolean {
  return typeof v === "number" && v === Math.floor(v) && v >= min && v <= max;
}

// QoS 1 PUBLISH packets for outbox rows, encoded by hand into one Buffer per batch: the bytes
// mqtt-packet's generate() makes for the same packet (test/publisher/publish-packet.test.ts
// checks the identity), without its per-field writes and allocations. Measured in `npm run
// bench` (b): mqtt.js publish() with mqtt-packet cost ~45 us of gateway CPU per frame with the
// envelope's content type and six user properties, more than the rest of the gateway together.
import { ENVELOPE_CONTENT_TYPE } from "@leiden-iot/protocol";

export interface PublishRow {
  topic: string;
  payload: Uint8Array;
  /** MQTT 5 user properties (left out under 3.1.1). */
  properties: Record<string, string>;
}

/** UTF-8 length of s; the loop is cheaper than Buffer.byteLength for the short ASCII strings here. */
function utf8Length(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s);
  return s.length;
}

function varIntLength(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4;
}

/** MQTT's limit for a string's UTF-8 length (a two-byte prefix). */
const MAX_STRING = 0xffff;
/** MQTT's limit for the remaining length of a packet. */
const MAX_REMAINING = 268_435_455;

class PacketWriter {
  off = 0;
  constructor(readonly buf: Buffer) {}

  byte(b: number): void {
    this.buf[this.off++] = b;
  }
  u16(n: number): void {
    this.buf[this.off++] = n >>> 8;
    this.buf[this.off++] = n & 0xff;
  }
  varInt(n: number): void {
    do {
      let b = n % 0x80;
      n = Math.floor(n / 0x80);
      if (n > 0) b |= 0x80;
      this.buf[this.off++] = b;
    } while (n > 0);
  }
  /** A length-prefixed UTF-8 string whose encoded length is len. */
  string(s: string, len: number): void {
    this.u16(len);
    if (len !== s.length) this.off += this.buf.write(s, this.off, "utf8");
    else if (len > 24) this.off += this.buf.write(s, this.off, "latin1");
    else for (let i = 0; i < len; i++) this.buf[this.off++] = s.charCodeAt(i);
  }
  bytes(b: Uint8Array): void {
    this.buf.set(b, this.off);
    this.off += b.byteLength;
  }
}

const CONTENT_TYPE_LENGTH = utf8Length(ENVELOPE_CONTENT_TYPE);
/** MQTT 5 property identifiers. */
const CONTENT_TYPE = 0x03;
const USER_PROPERTY = 0x26;

/** Sizes of one packet: what the second pass needs to write it without measuring again. */
interface Layout {
  topic: number;
  keys: number[];
  values: number[];
  props: number;
  remaining: number;
}

function layoutOf(row: PublishRow, v5: boolean): Layout {
  const topic = utf8Length(row.topic);
  if (topic > MAX_STRING) throw new Error(`topic of ${topic} bytes is longer than MQTT allows`);
  const keys: number[] = [];
  const values: number[] = [];
  let props = 0;
  if (v5) {
    props = 3 + CONTENT_TYPE_LENGTH;
    for (const k in row.properties) {
      const kl = utf8Length(k);
      const vl = utf8Length(row.properties[k]!);
      if (kl > MAX_STRING || vl > MAX_STRING)
        throw new Error(`user property ${k} is longer than MQTT allows`);
      keys.push(kl);
      values.push(vl);
      props += 5 + kl + vl;
    }
  }
  const remaining = 2 + topic + 2 + (v5 ? varIntLength(props) + props : 0) + row.payload.byteLength;
  if (remaining > MAX_REMAINING) throw new Error("a PUBLISH longer than MQTT allows");
  return { topic, keys, values, props, remaining };
}

/**
 * One Buffer holding a QoS 1 PUBLISH (no DUP, no retain) for each row, with packet identifier
 * ids[i], as MQTT 5 (content type + the row's user properties) or 3.1.1 (protocol 4).
 */
export function encodePublishes(
  rows: readonly PublishRow[],
  ids: readonly number[],
  protocol: 5 | 4,
): Buffer {
  const v5 = protocol === 5;
  const layouts: Layout[] = new Array<Layout>(rows.length);
  let size = 0;
  for (let i = 0; i < rows.length; i++) {
    const l = layoutOf(rows[i]!, v5);
    layouts[i] = l;
    size += 1 + varIntLength(l.remaining) + l.remaining;
  }
  const w = new PacketWriter(Buffer.allocUnsafe(size));
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const l = layouts[i]!;
    w.byte(0x32); // PUBLISH, QoS 1
    w.varInt(l.remaining);
    w.string(row.topic, l.topic);
    w.u16(ids[i]!);
    if (v5) {
      w.varInt(l.props);
      w.byte(CONTENT_TYPE);
      w.string(ENVELOPE_CONTENT_TYPE, CONTENT_TYPE_LENGTH);
      let j = 0;
      for (const k in row.properties) {
        w.byte(USER_PROPERTY);
        w.string(k, l.keys[j]!);
        w.string(row.properties[k]!, l.values[j]!);
        j++;
      }
    }
    w.bytes(row.payload);
  }
  if (w.off !== size) throw new Error(`PUBLISH batch encoded ${w.off} of ${size} bytes`);
  return w.buf;
}

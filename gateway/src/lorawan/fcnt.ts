// 32-bit uplink frame counters from the 16 bits on air (LoRaWAN 1.0.x, section 4.3.1.5).
// A device sends only the low 16 bits; the gateway keeps the last accepted 32-bit value and
// infers the high bits. Frames further ahead than MAX_FCNT_GAP are discarded, frames behind are
// replays. Pure: the last value comes from the caller.

export const MAX_FCNT_GAP = 16384;

export type FcntClass =
  | { kind: "next"; fCnt: number } // ahead of the last accepted counter, within the gap
  | { kind: "same"; fCnt: number } // equal to the last: a retransmission or another gateway's copy
  | { kind: "replay"; fCnt: number } // behind the last accepted counter
  | { kind: "gap"; fCnt: number }; // too far ahead to trust

/**
 * Classifies a 16-bit wire counter against the last accepted 32-bit counter (undefined when the
 * device was never heard: then the counter starts in the first 64k).
 */
export function classifyFcnt(last: number | undefined, wire16: number): FcntClass {
  const w = wire16 & 0xffff;
  if (last === undefined) return { kind: "next", fCnt: w };
  const forward = (w - (last & 0xffff) + 0x10000) % 0x10000;
  if (forward === 0) return { kind: "same", fCnt: last };
  if (forward <= MAX_FCNT_GAP) {
    const fCnt = last + forward;
    // Past 2^32 - 1 the session must be renewed: treat it as a gap (LoRaWAN forbids reuse).
    return fCnt > 0xffffffff ? { kind: "gap", fCnt: fCnt % 0x100000000 } : { kind: "next", fCnt };
  }
  const backward = 0x10000 - forward;
  if (backward <= MAX_FCNT_GAP && last - backward >= 0)
    return { kind: "replay", fCnt: last - backward };
  return { kind: "gap", fCnt: last + forward };
}

/** The two high bytes of a 32-bit counter in the order lora-packet expects (little-endian). */
export function fcntMsb(fCnt: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(Math.floor(fCnt / 0x10000) & 0xffff, 0);
  return b;
}

// Byte-exact copies of recently accepted adverts. A band repeats each advert many times per
// rotation and several gateways' radios hear it; every copy after the first is a duplicate, yet
// the full path spends a MAC verification (AES) on each. A copy with exactly the bytes of a frame
// already authenticated in the same reception epoch is the same message of the same device (same
// ephemeral-id tables, same MAC), so the pipeline can skip decoding and the MAC and go straight
// to the replay window with the stored stream and counter. Any difference in one byte, or
// another epoch, misses and takes the full path, so a forged frame is never decided here.
//
// Bounded: the last CAPACITY authenticated frames (a ring; the oldest is forgotten), their bytes
// in one preallocated pool, found through a Map from a 32-bit hash of the bytes. ~1.5 MB full.

const CAPACITY = 16_384;
/** Longest frame kept (band adverts are 24 bytes, classroom adverts 20). */
const MAX_BYTES = 32;

export interface RepeatHit {
  stream: string;
  counter: number;
  messageId: string;
}

export class RepeatCache {
  private readonly pool = new Uint8Array(CAPACITY * MAX_BYTES);
  private readonly lengths = new Uint8Array(CAPACITY);
  private readonly hashes = new Int32Array(CAPACITY);
  private readonly epochs = new Float64Array(CAPACITY);
  private readonly hits: (RepeatHit | undefined)[] = new Array<RepeatHit | undefined>(CAPACITY);
  private readonly index = new Map<number, number>();
  private next = 0;

  /** FNV-1a over the bytes. */
  private static hash(data: Uint8Array): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i]!, 0x01000193);
    return h | 0;
  }

  /** The stream, counter and message id of a byte-identical frame authenticated in this epoch. */
  get(data: Uint8Array, epoch: number): RepeatHit | undefined {
    if (data.length > MAX_BYTES) return undefined;
    const slot = this.index.get(RepeatCache.hash(data));
    if (slot === undefined || this.epochs[slot] !== epoch || this.lengths[slot] !== data.length)
      return undefined;
    const base = slot * MAX_BYTES;
    for (let i = 0; i < data.length; i++) if (this.pool[base + i] !== data[i]) return undefined;
    return this.hits[slot];
  }

  /** Records an authenticated frame (its bytes are copied). */
  set(data: Uint8Array, epoch: number, hit: RepeatHit): void {
    if (data.length > MAX_BYTES) return;
    const h = RepeatCache.hash(data);
    const known = this.index.get(h);
    const slot = known ?? this.next;
    if (known === undefined) {
      this.next = (this.next + 1) % CAPACITY;
      if (this.hits[slot] !== undefined && this.index.get(this.hashes[slot]!) === slot)
        this.index.delete(this.hashes[slot]!);
      this.index.set(h, slot);
    }
    this.pool.set(data, slot * MAX_BYTES);
    this.lengths[slot] = data.length;
    this.hashes[slot] = h;
    this.epochs[slot] = epoch;
    this.hits[slot] = hit;
  }
}

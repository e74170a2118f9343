// A compact hash multimap from a 4-byte ephemeral id to device slots: open addressing over two
// Uint32Arrays, 8 bytes per slot at load <= 0.5, so 100k devices cost ~2 MB per epoch instead of
// ~10 MB in a Map. Two devices may share an EID in one epoch (birthday bound: a few per 100k);
// lookups return every match and the MAC decides.

const EMPTY = 0xffffffff;

export class EidIndex {
  private readonly keys: Uint32Array;
  private readonly values: Uint32Array;
  private readonly mask: number;
  private count = 0;

  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.keys = new Uint32Array(size);
    this.values = new Uint32Array(size).fill(EMPTY);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.keys.byteLength + this.values.byteLength;
  }

  private slot(eid: number): number {
    // Fibonacci hashing: EIDs are already uniform, this only spreads sequential test values.
    return (Math.imul(eid, 0x9e3779b1) >>> 0) & this.mask;
  }

  /** The next add would pass the 0.5 load bound (use grown()). */
  get full(): boolean {
    return (this.count + 1) * 2 > this.keys.length;
  }

  /** A copy with twice the capacity (no AES: the stored EIDs are re-inserted). */
  grown(): EidIndex {
    const g = new EidIndex(this.keys.length);
    for (let i = 0; i < this.keys.length; i++)
      if (this.values[i] !== EMPTY) g.add(this.keys[i]!, this.values[i]!);
    return g;
  }

  add(eid: number, value: number): void {
    if (this.count * 2 >= this.keys.length) throw new Error("EidIndex is full");
    let i = this.slot(eid);
    while (this.values[i] !== EMPTY) i = (i + 1) & this.mask;
    this.keys[i] = eid >>> 0;
    this.values[i] = value;
    this.count++;
  }

  /** Appends every value stored under eid to out unless already there (no closure, for lookups). */
  collect(eid: number, out: number[], map: ArrayLike<number>): void {
    let i = this.slot(eid);
    const k = eid >>> 0;
    while (this.values[i] !== EMPTY) {
      if (this.keys[i] === k) {
        const v = map[this.values[i]!]!;
        if (out.indexOf(v) < 0) out.push(v);
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Calls fn for every value stored under eid (usually 0 or 1 of them). */
  forEach(eid: number, fn: (value: number) => void): void {
    let i = this.slot(eid);
    const k = eid >>> 0;
    while (this.values[i] !== EMPTY) {
      if (this.keys[i] === k) fn(this.values[i]!);
      i = (i + 1) & this.mask;
    }
  }
}

// Resolves a frame's 4-byte ephemeral id to the registered devices that could have sent it, in
// O(1): one EidIndex per epoch (previous, current, next) for every registered device.
//
// Tables are built incrementally: a large registry (100k devices: ~2 s of AES on a Raspberry Pi
// class CPU) is indexed in the background in slices of at most SLICE_MS, so start-up and an epoch
// change never stall the event loop; `pending` says a build is running and `ready()` resolves when
// it is done (the pipeline holds frames it cannot resolve yet until then: processWhenIndexed).
// Registries up to SYNC_DEVICES are built at once (a few ms), so small deployments and tests see
// complete tables immediately. A device's EID key is derived the first time a build reaches it.
//
// Bands with the clockNotSet flag count epochs from a wrong clock. Bounded fallback: when such a
// frame misses the normal tables, a fallback index covering epochs [now-K, now+K] and the
// boot-relative epochs [0, 2K] (a band whose clock restarted at zero) is built once per epoch and
// searched; K = pipeline.clockNotSetEpochs (default 4, so 17 epochs). The MAC still decides, so a
// wider search never accepts a forged frame; it only costs (4K+1) AES operations per registered
// device once per epoch, and only when clockNotSet frames arrive. Frames outside both windows are
// rejected as unknown_device (counted) until the band's clock is set by a time beacon.
import { deviceKeys, readU32, writeEpochBlock } from "@leiden-iot/protocol";
import { aesBlocks, cachedAes128, withKeyAes } from "../crypto/fast-aes.js";
import type { KeyRegistry } from "../registry/registry.js";
import { EidIndex } from "./eid-index.js";

/** Registries up to this size are indexed synchronously. */
const SYNC_DEVICES = 4096;
/** Longest slice of background building before yielding to the event loop. */
const SLICE_MS = 8;

interface Table {
  index: EidIndex;
  /** Slots [0, covered) are in the index. */
  covered: number;
}

export class EidResolver {
  private ids: Uint32Array;
  private eidKeys: Uint8Array;
  /** Slots [0, keyed) have their EID key in eidKeys. */
  private keyed = 0;
  private readonly tables = new Map<number, Table>();
  private fallback: { epoch: number; index: EidIndex } | undefined;
  private readonly fallbackK: number;
  private job: Promise<void> | null = null;
  private readonly created = performance.now();
  /** Milliseconds from construction until the first background build completed (NaN before). */
  readyAfterMs = NaN;
  /** Why the last background build stopped early (a registry entry without a key). */
  buildError: Error | undefined;

  constructor(
    private readonly registry: KeyRegistry,
    opts: { clockNotSetEpochs: number },
  ) {
    this.fallbackK = opts.clockNotSetEpochs;
    this.ids = Uint32Array.from(registry.ids());
    this.eidKeys = new Uint8Array(this.ids.length * 16);
  }

  get devices(): number {
    return this.ids.length;
  }

  /** A background build is running: a lookup may miss a device that is not indexed yet. */
  get pending(): boolean {
    return this.job !== null;
  }

  /** Resolves when no background build is running. */
  ready(): Promise<void> {
    return this.job ?? Promise.resolve();
  }

  private keyOf(slot: number): Uint8Array {
    while (this.keyed <= slot) {
      const s = this.keyed++;
      const key = this.registry.deviceKey(this.ids[s]!)!;
      this.eidKeys.set(
        withKeyAes(key, (aes) => deviceKeys(aes, key).eid),
        s * 16,
      );
    }
    return this.eidKeys.subarray(slot * 16, slot * 16 + 16);
  }

  /**
   * Adds a device registered while running (an enrolment): its EIDs go into the complete tables
   * at once; tables still being built reach it on their own.
   */
  register(id: number, key: Uint8Array): void {
    if (this.ids.indexOf(id) >= 0) return;
    const slot = this.ids.length;
    const ids = new Uint32Array(slot + 1);
    ids.set(this.ids);
    ids[slot] = id;
    const keys = new Uint8Array(ids.length * 16);
    keys.set(this.eidKeys);
    this.ids = ids;
    this.eidKeys = keys;
    if (this.keyed === slot) {
      keys.set(deviceKeys(cachedAes128, key).eid, slot * 16);
      this.keyed++;
    }
    this.fallback = undefined;
    const complete = [...this.tables].filter(([, t]) => t.covered === slot);
    if (complete.length === 0) return;
    const eids = this.eidsOf(
      slot,
      complete.map(([e]) => e),
    );
    complete.forEach(([, t], i) => {
      if (t.index.full) t.index = t.index.grown();
      t.index.add(eids[i]!, slot);
      t.covered++;
    });
  }

  /** EIDs of one device for several epochs: AES(K_eid, "EID" || 0^9 || epoch), first 4 bytes. */
  private eidsOf(slot: number, epochs: readonly number[]): Uint32Array {
    const blocks = new Uint8Array(16 * epochs.length);
    for (let i = 0; i < epochs.length; i++) writeEpochBlock(blocks, i * 16, epochs[i]!);
    const out = aesBlocks(this.keyOf(slot), blocks);
    const eids = new Uint32Array(epochs.length);
    for (let i = 0; i < epochs.length; i++) eids[i] = readU32(out, i * 16);
    return eids;
  }

  private tableOf(epoch: number): Table {
    let t = this.tables.get(epoch);
    if (!t) {
      t = { index: new EidIndex(this.ids.length), covered: 0 };
      this.tables.set(epoch, t);
    }
    return t;
  }

  /**
   * Adds slot `slot` to every listed table that needs it next; returns how many did. One cipher
   * per device for all of them.
   */
  private step(tables: Table[], epochs: number[], slot: number): number {
    const need: number[] = [];
    for (let i = 0; i < tables.length; i++) if (tables[i]!.covered === slot) need.push(i);
    if (need.length === 0) return 0;
    const eids = this.eidsOf(
      slot,
      need.map((i) => epochs[i]!),
    );
    need.forEach((ti, k) => {
      const t = tables[ti]!;
      if (t.index.full) t.index = t.index.grown();
      t.index.add(eids[k]!, slot);
      t.covered++;
    });
    return need.length;
  }

  private incomplete(epochs: readonly number[]): number[] {
    return epochs.filter((e) => {
      const t = this.tables.get(e);
      return !t || t.covered < this.ids.length;
    });
  }

  /** Completes the tables of these epochs now, synchronously (bench, tests, small registries). */
  ensure(epochs: readonly number[]): void {
    const missing = this.incomplete(epochs);
    if (missing.length === 0) return;
    const tables = missing.map((e) => this.tableOf(e));
    const from = Math.min(...tables.map((t) => t.covered));
    for (let s = from; s < this.ids.length; s++) this.step(tables, missing, s);
  }

  /**
   * Completes the tables of these epochs: at once for a small registry, otherwise in the
   * background (see `pending`, `ready()`). Returns when they are complete.
   */
  build(epochs: readonly number[]): Promise<void> {
    if (this.ids.length <= SYNC_DEVICES) {
      this.ensure(epochs);
      return this.ready();
    }
    for (const e of epochs) this.tableOf(e);
    if (!this.job)
      this.job = this.run().then(
        () => {
          this.job = null;
          if (Number.isNaN(this.readyAfterMs)) this.readyAfterMs = performance.now() - this.created;
        },
        (e: unknown) => {
          // never a rejected build promise: lookups just miss what is not indexed
          this.job = null;
          this.buildError = e as Error;
        },
      );
    return this.job;
  }

  /** The background builder: every incomplete table, in slices of at most SLICE_MS. */
  private async run(): Promise<void> {
    for (;;) {
      const epochs = this.incomplete([...this.tables.keys()]);
      if (epochs.length === 0) return;
      const tables = epochs.map((e) => this.tables.get(e)!);
      let s = Math.min(...tables.map((t) => t.covered));
      let sliceStart = performance.now();
      while (s < this.ids.length) {
        this.step(tables, epochs, s++);
        if ((s & 63) === 0 && performance.now() - sliceStart > SLICE_MS) {
          await new Promise<void>((r) => setImmediate(r));
          // a table dropped meanwhile (prepare) is no longer built
          if (tables.some((t, i) => this.tables.get(epochs[i]!) !== t)) break;
          sliceStart = performance.now();
        }
      }
    }
  }

  /** Builds the table of an epoch ahead of time (call before it starts), and drops old ones. */
  prepare(epoch: number): Promise<void> {
    for (const e of this.tables.keys()) if (e < epoch - 2) this.tables.delete(e);
    return this.build([epoch]);
  }

  /** Device ids whose EID in epoch-1, epoch or epoch+1 equals eid (in the tables built so far). */
  candidates(eid: number, epoch: number): number[] {
    const out: number[] = [];
    // the current epoch first, then the previous and the next one
    for (let k = 0; k < 3; k++) {
      const e = k === 0 ? epoch : k === 1 ? epoch - 1 : epoch + 1;
      let t = this.tables.get(e);
      if (!t || t.covered < this.ids.length) {
        void this.build([epoch - 1, epoch, epoch + 1]);
        t = this.tables.get(e);
      }
      if (t) t.index.collect(eid, out, this.ids);
    }
    return out;
  }

  /** The bounded clockNotSet search (see the file comment). */
  fallbackCandidates(eid: number, epoch: number): number[] {
    if (this.fallbackK === 0) return [];
    if (!this.fallback || this.fallback.epoch !== epoch) {
      const epochs = new Set<number>();
      for (let e = epoch - this.fallbackK; e <= epoch + this.fallbackK; e++) epochs.add(e);
      for (let e = 0; e <= 2 * this.fallbackK; e++) epochs.add(e);
      const list = [...epochs];
      const idx = new EidIndex(this.ids.length * list.length);
      for (let s = 0; s < this.ids.length; s++) {
        const eids = this.eidsOf(s, list);
        for (let i = 0; i < list.length; i++) idx.add(eids[i]!, s);
      }
      this.fallback = { epoch: epoch, index: idx };
    }
    const out: number[] = [];
    this.fallback.index.forEach(eid, (slot) => {
      const id = this.ids[slot]!;
      if (out.indexOf(id) < 0) out.push(id);
    });
    return out;
  }

  memoryBytes(): number {
    let b = this.ids.byteLength + this.eidKeys.byteLength;
    for (const t of this.tables.values()) b += t.index.bytes;
    if (this.fallback) b += this.fallback.index.bytes;
    return b;
  }
}

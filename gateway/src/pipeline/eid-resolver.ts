// Resolves a frame's 4-byte ephemeral id to the registered devices that could have sent it, in
// O(1): one EidIndex per epoch (previous, current, next) for every registered device, built
// ahead of each epoch change in small chunks so the event loop never stalls.
//
// Bands with the clockNotSet flag count epochs from a wrong clock. Bounded fallback: when such a
// frame misses the normal tables, a fallback index covering epochs [now-K, now+K] and the
// boot-relative epochs [0, 2K] (a band whose clock restarted at zero) is built once per epoch and
// searched; K = pipeline.clockNotSetEpochs (default 4, so 17 epochs). The MAC still decides, so a
// wider search never accepts a forged frame; it only costs (4K+1) AES operations per registered
// device once per epoch, and only when clockNotSet frames arrive. Frames outside both windows are
// rejected as unknown_device (counted) until the band's clock is set by a time beacon.
import { deviceKeys, readU32, writeEpochBlock } from "@leiden-iot/protocol";
import { aesBlocks, cachedAes128 } from "../crypto/fast-aes.js";
import type { KeyRegistry } from "../registry/registry.js";
import { EidIndex } from "./eid-index.js";

export class EidResolver {
  private ids: Uint32Array;
  private eidKeys: Uint8Array;
  private readonly tables = new Map<number, EidIndex>();
  private fallback: { epoch: number; index: EidIndex } | undefined;
  private readonly fallbackK: number;

  constructor(registry: KeyRegistry, opts: { clockNotSetEpochs: number }) {
    this.fallbackK = opts.clockNotSetEpochs;
    this.ids = new Uint32Array(registry.size);
    this.eidKeys = new Uint8Array(registry.size * 16);
    let i = 0;
    for (const id of registry.ids()) {
      const key = registry.deviceKey(id)!;
      this.ids[i] = id;
      this.eidKeys.set(deviceKeys(cachedAes128, key).eid, i * 16);
      i++;
    }
  }

  get devices(): number {
    return this.ids.length;
  }

  /**
   * Adds a device registered while running (an enrolment). Tables are rebuilt on next use: one
   * cipher per device and epoch, so keep this for rare events, not bulk loads.
   */
  register(id: number, key: Uint8Array): void {
    if (this.ids.indexOf(id) >= 0) return;
    const ids = new Uint32Array(this.ids.length + 1);
    ids.set(this.ids);
    ids[this.ids.length] = id;
    const keys = new Uint8Array(ids.length * 16);
    keys.set(this.eidKeys);
    keys.set(deviceKeys(cachedAes128, key).eid, this.ids.length * 16);
    this.ids = ids;
    this.eidKeys = keys;
    const epochs = [...this.tables.keys()];
    this.tables.clear();
    this.fallback = undefined;
    this.ensure(epochs);
  }

  /** EIDs of one device for several epochs: AES(K_eid, "EID" || 0^9 || epoch), first 4 bytes. */
  private eidsOf(slot: number, epochs: readonly number[]): Uint32Array {
    const blocks = new Uint8Array(16 * epochs.length);
    for (let i = 0; i < epochs.length; i++) writeEpochBlock(blocks, i * 16, epochs[i]!);
    const out = aesBlocks(this.eidKeys.subarray(slot * 16, slot * 16 + 16), blocks);
    const eids = new Uint32Array(epochs.length);
    for (let i = 0; i < epochs.length; i++) eids[i] = readU32(out, i * 16);
    return eids;
  }

  private buildSync(epochs: readonly number[], capacity = this.ids.length): EidIndex[] {
    const idx = epochs.map(() => new EidIndex(capacity));
    for (let s = 0; s < this.ids.length; s++) {
      const eids = this.eidsOf(s, epochs);
      for (let i = 0; i < epochs.length; i++) idx[i]!.add(eids[i]!, s);
    }
    return idx;
  }

  /** Builds the missing tables of several epochs in one pass (one cipher per device). */
  ensure(epochs: readonly number[]): void {
    const missing = epochs.filter((e) => !this.tables.has(e));
    if (missing.length === 0) return;
    const built = this.buildSync(missing);
    missing.forEach((e, i) => this.tables.set(e, built[i]!));
  }

  /** The table of one epoch, built now if it is missing (the first frames after start-up). */
  table(epoch: number): EidIndex {
    let t = this.tables.get(epoch);
    if (!t) {
      t = this.buildSync([epoch])[0]!;
      this.tables.set(epoch, t);
    }
    return t;
  }

  /** Builds the table of an epoch in chunks (call before it starts), and drops old ones. */
  async prepare(epoch: number, chunk = 4096): Promise<void> {
    for (const e of this.tables.keys()) if (e < epoch - 2) this.tables.delete(e);
    if (this.tables.has(epoch)) return;
    const idx = new EidIndex(this.ids.length);
    for (let s = 0; s < this.ids.length; s++) {
      idx.add(this.eidsOf(s, [epoch])[0]!, s);
      if (s % chunk === chunk - 1) await new Promise<void>((r) => setImmediate(r));
    }
    if (!this.tables.has(epoch)) this.tables.set(epoch, idx);
  }

  /** Device ids whose EID in epoch-1, epoch or epoch+1 equals eid. */
  candidates(eid: number, epoch: number): number[] {
    const out: number[] = [];
    const add = (slot: number) => {
      const id = this.ids[slot]!;
      if (out.indexOf(id) < 0) out.push(id);
    };
    this.table(epoch).forEach(eid, add);
    this.table(epoch - 1).forEach(eid, add);
    this.table(epoch + 1).forEach(eid, add);
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
    for (const t of this.tables.values()) b += t.bytes;
    if (this.fallback) b += this.fallback.index.bytes;
    return b;
  }
}

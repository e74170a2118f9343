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
import { deviceKeys, epochIdentity, nodeAes128, readU32 } from "@leiden-iot/protocol";
import type { KeyRegistry } from "../registry/registry.js";
import { EidIndex } from "./eid-index.js";

export class EidResolver {
  private readonly ids: Uint32Array;
  private readonly eidKeys: Uint8Array;
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
      this.eidKeys.set(deviceKeys(nodeAes128, key).eid, i * 16);
      i++;
    }
  }

  get devices(): number {
    return this.ids.length;
  }

  private eidOf(slot: number, epoch: number): number {
    const key = this.eidKeys.subarray(slot * 16, slot * 16 + 16);
    return readU32(epochIdentity(nodeAes128, key, epoch).eid, 0);
  }

  private buildSync(epoch: number): EidIndex {
    const idx = new EidIndex(this.ids.length);
    for (let s = 0; s < this.ids.length; s++) idx.add(this.eidOf(s, epoch), s);
    return idx;
  }

  /** The table of one epoch, built now if it is missing (the first frames after start-up). */
  table(epoch: number): EidIndex {
    let t = this.tables.get(epoch);
    if (!t) {
      t = this.buildSync(epoch);
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
      idx.add(this.eidOf(s, epoch), s);
      if (s % chunk === chunk - 1) await new Promise<void>((r) => setImmediate(r));
    }
    if (!this.tables.has(epoch)) this.tables.set(epoch, idx);
  }

  /** Device ids whose EID in epoch-1, epoch or epoch+1 equals eid. */
  candidates(eid: number, epoch: number): number[] {
    const out: number[] = [];
    for (const e of [epoch, epoch - 1, epoch + 1]) {
      this.table(e).forEach(eid, (slot) => {
        const id = this.ids[slot]!;
        if (out.indexOf(id) < 0) out.push(id);
      });
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
      const idx = new EidIndex(this.ids.length * epochs.size);
      for (const e of epochs)
        for (let s = 0; s < this.ids.length; s++) idx.add(this.eidOf(s, e), s);
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

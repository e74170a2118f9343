// The key registry: which devices this gateway accepts, their kind and key, and (for classroom
// LoRa nodes) their LoRaWAN identity and optional ABP session keys. Pure data and lookups; the
// file loader is registry/load.ts. Sources and the pipeline depend only on this interface.
import { deriveDeviceKey } from "@leiden-iot/protocol";
import { cachedAes128, pinAesKey } from "../crypto/fast-aes.js";

export type DeviceKind = "band" | "classroom";

/** LoRaWAN identity of a classroom node (hex strings are lower case). */
export interface LoraIdentity {
  devEui: string; // 16 hex
  /** ABP: the fixed session. OTAA sessions are established by the LNS, not this gateway. */
  devAddr?: string; // 8 hex
  nwkSKey?: Uint8Array; // 16 bytes
  appSKey?: Uint8Array; // 16 bytes
}

export interface DeviceEntry {
  /** 32-bit device id, the input of key derivation and pseudonyms; never leaves the gateway. */
  id: number;
  kind: DeviceKind;
  lora?: LoraIdentity;
  /** A classroom node's room name (set at enrolment; shown on the Kijk mee page, not published). */
  room?: string;
}

export interface KeyRegistry {
  readonly size: number;
  /** Key used to derive device, pseudonym and time keys; undefined when every device has its own key. */
  readonly masterKey: Uint8Array | undefined;
  /** Key that turns device ids into pseudonyms (derived from the master key and scope, or given). */
  readonly pseudonymKey: Uint8Array;
  byId(id: number): DeviceEntry | undefined;
  /** The device's 128-bit key: provisioned, or derived from the master key. */
  deviceKey(id: number): Uint8Array | undefined;
  byDevEui(devEui: string): DeviceEntry | undefined;
  /** DevAddr is not unique in LoRaWAN: every ABP device with this address (usually 0 or 1). */
  byDevAddr(devAddr: string): readonly DeviceEntry[];
  /** Every device id, in registration order. */
  ids(): Iterable<number>;
}

export interface RegistryInput {
  masterKey?: Uint8Array;
  pseudonymKey: Uint8Array;
  devices: Iterable<DeviceEntry & { key?: Uint8Array }>;
}

/**
 * In-memory registry. Memory: ~40 bytes per device without a LoRa identity (ids and kinds in
 * typed arrays, provisioned keys in one buffer); derived keys are not stored but recomputed.
 */
export class MemoryRegistry implements KeyRegistry {
  readonly masterKey: Uint8Array | undefined;
  readonly pseudonymKey: Uint8Array;
  private readonly index = new Map<number, number>();
  private idArr: Uint32Array = new Uint32Array(1024);
  private kindArr: Uint8Array = new Uint8Array(1024);
  private readonly keys = new Map<number, Uint8Array>();
  private readonly lora = new Map<number, LoraIdentity>();
  private readonly eui = new Map<string, number>();
  private readonly addr = new Map<string, number[]>();
  private readonly rooms = new Map<number, string>();
  private n = 0;

  constructor(input: RegistryInput) {
    this.masterKey = input.masterKey;
    if (input.masterKey) pinAesKey(input.masterKey);
    this.pseudonymKey = input.pseudonymKey;
    for (const d of input.devices) this.add(d);
  }

  get size(): number {
    return this.n;
  }

  /** Adds or replaces a device. Throws on a device that could never be verified (no key at all). */
  add(d: DeviceEntry & { key?: Uint8Array }): void {
    if (!d.key && !this.masterKey)
      throw new Error(`device ${d.id} has no key and the registry has no masterKey`);
    let i = this.index.get(d.id);
    if (i === undefined) {
      i = this.n++;
      if (i >= this.idArr.length) this.grow();
      this.index.set(d.id, i);
    }
    this.idArr[i] = d.id;
    this.kindArr[i] = d.kind === "band" ? 1 : 2;
    if (d.key) this.keys.set(d.id, d.key);
    if (d.room) this.rooms.set(d.id, d.room);
    else this.rooms.delete(d.id);
    if (d.lora) {
      const l = { ...d.lora, devEui: d.lora.devEui.toLowerCase() };
      if (l.devAddr) l.devAddr = l.devAddr.toLowerCase();
      this.lora.set(d.id, l);
      this.eui.set(l.devEui, d.id);
      if (l.devAddr) {
        const list = this.addr.get(l.devAddr) ?? [];
        if (list.indexOf(d.id) < 0) list.push(d.id);
        this.addr.set(l.devAddr, list);
      }
    }
  }

  private grow(): void {
    const ids = new Uint32Array(this.idArr.length * 2);
    ids.set(this.idArr);
    const kinds = new Uint8Array(this.kindArr.length * 2);
    kinds.set(this.kindArr);
    this.idArr = ids;
    this.kindArr = kinds;
  }

  byId(id: number): DeviceEntry | undefined {
    const i = this.index.get(id);
    if (i === undefined) return undefined;
    const e: DeviceEntry = { id: id, kind: this.kindArr[i] === 1 ? "band" : "classroom" };
    const l = this.lora.get(id);
    if (l) e.lora = l;
    const room = this.rooms.get(id);
    if (room) e.room = room;
    return e;
  }

  /** The classroom nodes that have a room name: id -> room. */
  roomNames(): ReadonlyMap<number, string> {
    return this.rooms;
  }

  deviceKey(id: number): Uint8Array | undefined {
    if (!this.index.has(id)) return undefined;
    const k = this.keys.get(id);
    if (k) return k;
    return this.masterKey ? deriveDeviceKey(cachedAes128, this.masterKey, id) : undefined;
  }

  byDevEui(devEui: string): DeviceEntry | undefined {
    const id = this.eui.get(devEui.toLowerCase());
    return id === undefined ? undefined : this.byId(id);
  }

  byDevAddr(devAddr: string): readonly DeviceEntry[] {
    const ids = this.addr.get(devAddr.toLowerCase()) ?? [];
    return ids.map((id) => this.byId(id)!);
  }

  *ids(): Iterable<number> {
    for (let i = 0; i < this.n; i++) yield this.idArr[i]!;
  }
}

// The semtech-udp source wired as the gateway wires it (key registry, SQLite counter store,
// createSource) plus a test packet forwarder, with per-test setup and teardown.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach } from "vitest";
import { frameCounterFcnt, type FcntStore } from "../../../src/lorawan/fcnt-store.js";
import type { LoraSession } from "../../../src/lorawan/session.js";
import { MemoryRegistry } from "../../../src/registry/registry.js";
import { createSource } from "../../../src/sources/semtech-udp/index.js";
import type { SemtechUdpSource } from "../../../src/sources/semtech-udp/source.js";
import type { Disposition, RawFrame } from "../../../src/sources/source.js";
import { openDatabase, type Db } from "../../../src/store/database.js";
import { SqliteFrameCounters } from "../../../src/store/frame-counters.js";
import { PacketForwarder, PUSH_ACK, rxpk, type RxpkOptions } from "./packet-forwarder.js";

export { PULL_ACK, PULL_RESP, PUSH_ACK } from "./packet-forwarder.js";

export interface Harness {
  source: SemtechUdpSource;
  db: Db;
  fcnt: FcntStore;
  pf: PacketForwarder;
  frames: RawFrame[];
  /** What the next emits do; default: accept. */
  behaviour: (f: RawFrame) => Promise<Disposition>;
}

let dir = "";
const open: Harness[] = [];

/** Call at the top of a test file: a fresh state directory per test, everything closed after. */
export function useSemtechHarness(): void {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "semtech-udp-"));
  });
  afterEach(async () => {
    for (const h of open.splice(0)) await closeHarness(h);
    rmSync(dir, { recursive: true, force: true });
  });
}

/** The source as the gateway wires it: key registry, SQLite counter store, createSource. */
export async function harness(sessions: LoraSession[], dbFile = "state.sqlite"): Promise<Harness> {
  const db = openDatabase(join(dir, dbFile));
  const counters = new SqliteFrameCounters(db);
  const registry = new MemoryRegistry({
    masterKey: new Uint8Array(randomBytes(16)),
    pseudonymKey: new Uint8Array(randomBytes(16)),
    devices: sessions.map((lora, i) => ({ id: 100_000 + i, kind: "classroom" as const, lora })),
  });
  const source = createSource(
    { enabled: true, host: "127.0.0.1", port: 0 },
    {
      registry,
      counters,
      log: pino({ level: "silent" }),
      gatewayId: "gw-test",
      onReject: () => {},
    },
  ) as SemtechUdpSource;
  const h = {
    source,
    db,
    fcnt: frameCounterFcnt(counters),
    frames: [] as RawFrame[],
    behaviour: async (f: RawFrame): Promise<Disposition> => ({
      status: "accepted",
      messageId: `${f.lora!.devEui}/${f.lora!.fCnt}`,
    }),
  } as Harness;
  await source.start(async (f) => {
    h.frames.push(f);
    return h.behaviour(f);
  });
  h.pf = await PacketForwarder.open(source.address().port);
  open.push(h);
  return h;
}

/** Stops a harness early (e.g. to restart on the same SQLite file). */
export async function closeHarness(h: Harness): Promise<void> {
  const i = open.indexOf(h);
  if (i >= 0) open.splice(i, 1);
  await h.pf.close();
  await h.source.stop();
  h.db.close();
}

/** Pushes one uplink and waits for its PUSH_ACK (or null). */
export async function pushOne(h: Harness, phy: Buffer, timeoutMs = 2000, o: RxpkOptions = {}) {
  const token = await h.pf.push([rxpk(phy, o)]);
  const ack = await h.pf.reply(token, PUSH_ACK, timeoutMs);
  await h.source.settled();
  return ack;
}

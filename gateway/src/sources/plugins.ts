// How sources are plugged into the running gateway by configuration. Each source folder exports
// `createSource(config, deps): Source` from its index.ts; the gateway loads the folders named in
// the YAML `sources:` section lazily, so a missing optional dependency (noble) only disables that
// source.
import type { Logger } from "pino";
import type { KeyRegistry } from "../registry/registry.js";
import type { FrameCounterStore } from "../store/frame-counters.js";
import type { Source } from "./source.js";

export interface SourceDeps {
  registry: KeyRegistry;
  /** Persisted counters; LoRa sources use streams loraStream(devEui) for 32-bit FCntUp. */
  counters: FrameCounterStore;
  /** Bound to { source: <name> }: sources add no "source" key of their own. */
  log: Logger;
  gatewayId: string;
  /** Counts a frame the source refused before the pipeline saw it (liot_frames_rejected_total). */
  onReject: (reason: string) => void;
}

export type SourceFactory<C> = (config: C, deps: SourceDeps) => Source;

/** YAML key under `sources:` -> folder under gateway/src/sources/. */
export const SOURCE_FOLDERS = {
  ble: "ble",
  sim: "sim",
  semtechUdp: "semtech-udp",
  lnsMqtt: "lns-mqtt",
} as const;

export type SourceKey = keyof typeof SOURCE_FOLDERS;

export async function loadSourceFactory(key: SourceKey): Promise<SourceFactory<unknown>> {
  const spec = "./" + SOURCE_FOLDERS[key] + "/index.js";
  const mod = (await import(spec)) as { createSource?: SourceFactory<unknown> };
  if (typeof mod.createSource !== "function")
    throw new Error(`gateway/src/sources/${SOURCE_FOLDERS[key]}/index.ts must export createSource`);
  return mod.createSource;
}

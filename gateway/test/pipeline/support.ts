// Shared fixtures for pure pipeline tests: a registry and a pipeline over in-memory counters.
import { fromHex } from "@leiden-iot/protocol";
import bandVectors from "../../../protocol/vectors/band-advert.json" with { type: "json" };
import { Pipeline } from "../../src/pipeline/pipeline.js";
import { registryFromData } from "../../src/registry/load.js";
import type { CounterState } from "../../src/store/frame-counters.js";

export const MASTER = bandVectors.masterKey;
export const SCOPE = bandVectors.pseudonymScope;

export function makePipeline(
  extra: { devices?: unknown[]; counters?: Map<string, CounterState> } = {},
) {
  const registry = registryFromData({
    masterKey: MASTER,
    pseudonymScope: SCOPE,
    ranges: [
      { kind: "band", first: 1, count: 20 },
      { kind: "classroom", first: 100000, count: 5 },
    ],
    devices: [
      ...bandVectors.valid.map((v) => ({ id: v.deviceId, kind: "band" })),
      { id: 131073, kind: "classroom" },
      { id: 131074, kind: "classroom" },
      { id: 131075, kind: "classroom" },
      { id: 131076, kind: "classroom" },
      { id: 500, kind: "classroom", lora: { devEui: "70b3d57ed0000500", devAddr: "260b1234" } },
      { id: 501, kind: "band", lora: { devEui: "70b3d57ed0000501" } },
      ...(extra.devices ?? []),
    ],
  });
  const counters = extra.counters ?? new Map<string, CounterState>();
  const pipeline = new Pipeline(registry, counters, {
    gatewayId: "gw-leiden-01",
    topicPrefix: "leiden",
    replayWindow: 32,
    clockNotSetEpochs: 4,
  });
  return { registry, pipeline, counters, masterKey: fromHex(MASTER)! };
}

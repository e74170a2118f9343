import {
  deriveDeviceKey,
  derivePseudonymKey,
  fromHex,
  nodeAes128,
  toHex,
} from "@leiden-iot/protocol";
import { describe, expect, it } from "vitest";
import vectors from "../../../protocol/vectors/band-advert.json" with { type: "json" };
import { ConfigError } from "../../src/config/issues.js";
import { registryFromData } from "../../src/registry/load.js";

describe("key registry", () => {
  it("derives device keys from the master key like the protocol vectors", () => {
    const v = vectors.valid[0]!;
    const reg = registryFromData({
      masterKey: vectors.masterKey,
      pseudonymScope: vectors.pseudonymScope,
      ranges: [{ kind: "band", first: 250, count: 10 }],
    });
    expect(reg.size).toBe(10);
    expect(toHex(reg.deviceKey(v.deviceId)!)).toBe(v.deviceKey);
    expect(reg.byId(v.deviceId)?.kind).toBe("band");
    expect(reg.byId(1)).toBeUndefined();
    expect(toHex(reg.pseudonymKey)).toBe(
      toHex(derivePseudonymKey(nodeAes128, fromHex(vectors.masterKey)!, vectors.pseudonymScope)),
    );
  });

  it("looks up LoRa devices by devEui and devAddr, and prefers a provisioned key", () => {
    const reg = registryFromData({
      masterKey: vectors.masterKey,
      devices: [
        {
          id: 7,
          kind: "classroom",
          key: "00".repeat(16),
          lora: { devEui: "70B3D57ED0000001", devAddr: "260B1234" },
        },
        { id: 8, kind: "classroom", lora: { devEui: "70b3d57ed0000002", devAddr: "260b1234" } },
      ],
    });
    expect(reg.byDevEui("70b3d57ed0000001")?.id).toBe(7);
    expect(reg.byDevAddr("260B1234").map((d) => d.id)).toEqual([7, 8]);
    expect(toHex(reg.deviceKey(7)!)).toBe("00".repeat(16));
    expect(toHex(reg.deviceKey(8)!)).toBe(
      toHex(deriveDeviceKey(nodeAes128, fromHex(vectors.masterKey)!, 8)),
    );
  });

  it("rejects bad files naming the path", () => {
    expect(() => registryFromData({ masterKey: "abc" }, "reg.yaml")).toThrow(/masterKey: .*32 hex/);
    expect(() => registryFromData({ devices: [{ id: 1, kind: "band" }] }, "reg.yaml")).toThrow(
      ConfigError,
    );
    expect(() =>
      registryFromData({ masterKey: vectors.masterKey, devices: [{ id: -1, kind: "band" }] }, "r"),
    ).toThrow(/devices\.0\.id/);
  });
});

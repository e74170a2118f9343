// Test devices with generated ABP sessions, and PHYPayloads built with lora-packet the way an
// RN2483 would send them (so the source's verification is checked against an independent encoder),
// and the key registry file that holds such a device.
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { stringify } from "yaml";
import { fcntMsb } from "../../../src/lorawan/fcnt.js";
import { loraPacket } from "../../../src/lorawan/lora-packet.js";
import type { LoraSession } from "../../../src/lorawan/session.js";
import { TEST_MASTER } from "../../support/gateway.js";

export interface UplinkVector {
  name: string;
  fPort: number;
  hex: string;
  decoded: unknown;
}

const require = createRequire(import.meta.url);
export const uplinkVectors: UplinkVector[] = (
  JSON.parse(
    readFileSync(require.resolve("@leiden-iot/protocol/vectors/lora-uplink.json"), "utf8"),
  ) as { valid: UplinkVector[] }
).valid;

export function newSession(devAddr?: string): LoraSession {
  return {
    devEui: randomBytes(8).toString("hex"),
    devAddr: devAddr ?? "26" + randomBytes(3).toString("hex"),
    nwkSKey: new Uint8Array(randomBytes(16)),
    appSKey: new Uint8Array(randomBytes(16)),
  };
}

export interface UplinkSpec {
  fCnt: number; // 32-bit
  fPort?: number;
  payload: Uint8Array | string; // bytes or hex
  confirmed?: boolean;
  nwkSKey?: Uint8Array; // override (forged MIC)
}

export function buildUplink(s: LoraSession, spec: UplinkSpec): Buffer {
  const payload =
    typeof spec.payload === "string" ? Buffer.from(spec.payload, "hex") : Buffer.from(spec.payload);
  const packet = loraPacket.fromFields(
    {
      MType: spec.confirmed ? "Confirmed Data Up" : "Unconfirmed Data Up",
      DevAddr: Buffer.from(s.devAddr, "hex"),
      FCtrl: { ADR: true },
      FCnt: spec.fCnt & 0xffff,
      FPort: spec.fPort ?? 1,
      payload,
    },
    Buffer.from(s.appSKey),
    Buffer.from(spec.nwkSKey ?? s.nwkSKey),
    undefined,
    fcntMsb(spec.fCnt),
  );
  return packet.getPHYPayload() as Buffer;
}

/** A join request as an RN2483 sends it for OTAA (MIC with some AppKey). */
export function buildJoinRequest(): Buffer {
  const packet = loraPacket.fromFields(
    {
      MType: "Join Request",
      AppEUI: randomBytes(8),
      DevEUI: randomBytes(8),
      DevNonce: randomBytes(2),
    },
    undefined,
    undefined,
    randomBytes(16),
  );
  return packet.getPHYPayload() as Buffer;
}

/** Writes a key registry file holding one ABP classroom node (id 100000) with this session. */
export function writeLoraRegistry(file: string, dev: LoraSession): string {
  writeFileSync(
    file,
    stringify({
      masterKey: TEST_MASTER,
      pseudonymScope: "test",
      devices: [
        {
          id: 100_000,
          kind: "classroom",
          lora: {
            devEui: dev.devEui,
            devAddr: dev.devAddr,
            nwkSKey: Buffer.from(dev.nwkSKey).toString("hex"),
            appSKey: Buffer.from(dev.appSKey).toString("hex"),
          },
        },
      ],
    }),
  );
  return file;
}

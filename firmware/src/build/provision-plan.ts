// What `npm run provision` does for one device: the liot.cfg it writes, and the commands that
// write it and record the device in the gateway's key registry. Pure, so a test can check it.
import {
  deriveDeviceKey,
  deriveTimeKey,
  kdf,
  toHex,
  type Aes128,
} from "@leiden-iot/protocol/device";
import { provisionCommand, type Command } from "./upload-plan.js";

export interface ProvisionInput {
  device: "band" | "classroom";
  board: string;
  port: string;
  deviceId: number;
  masterKey: Uint8Array;
  goal?: number;
  preset?: string;
  registry: string;
  configFile: string;
  espruinoBin: string;
  aes: Aes128;
}

export interface ProvisionPlan {
  config: Record<string, unknown>;
  commands: Command[];
}

/** LoRaWAN DevEUI of a classroom node: a locally administered EUI-64 carrying the device id. */
export function devEuiOf(id: number): string {
  // 02 (locally administered) + "LIO" + the 32-bit id: 8 bytes.
  return "024c494f" + ("00000000" + (id >>> 0).toString(16)).slice(-8);
}

export function provisionPlan(p: ProvisionInput): ProvisionPlan {
  const key = deriveDeviceKey(p.aes, p.masterKey, p.deviceId);
  const config: Record<string, unknown> = {
    id: p.deviceId,
    key: toHex(key),
    tkey: toHex(deriveTimeKey(p.aes, p.masterKey)),
  };
  const keysAdd = [
    "run",
    "gateway",
    "--",
    "keys",
    "add",
    "--id",
    String(p.deviceId),
    "--kind",
    p.device,
  ];
  if (p.device === "band") config.goal = p.goal ?? 8000;
  else {
    const eui = devEuiOf(p.deviceId);
    config.preset = p.preset ?? "default";
    config.deveui = eui;
    config.appeui = "0000000000000000";
    config.appkey = toHex(kdf(p.aes, key, "LIOT-LORA-APPKEY", new Uint8Array(0)));
    keysAdd.push("--dev-eui", eui);
  }
  keysAdd.push("--registry", p.registry);
  return {
    config,
    commands: [
      provisionCommand({
        port: p.port,
        board: p.board,
        configFile: p.configFile,
        espruinoBin: p.espruinoBin,
      }),
      { cmd: "npm", args: keysAdd },
    ],
  };
}

// What `npm run provision` does for one device: the liot.cfg it writes, and the commands that
// write it and record the device in the gateway's key registry. Pure, so a test can check it.
import { deviceConfig, devEuiOf, type Aes128 } from "@leiden-iot/protocol/device";
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

export function provisionPlan(p: ProvisionInput): ProvisionPlan {
  const config = deviceConfig(p);
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
  if (p.device === "classroom") keysAdd.push("--dev-eui", devEuiOf(p.deviceId));
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

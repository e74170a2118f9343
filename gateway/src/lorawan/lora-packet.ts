// lora-packet is CommonJS whose typings declare a default export that Node's ESM loader does not
// produce (module.exports is the API itself); this resolves both shapes once, typed.
import loraPacketModule from "lora-packet";

type LoraPacketApi = typeof loraPacketModule.default;

export const loraPacket: LoraPacketApi =
  (loraPacketModule as unknown as { default?: LoraPacketApi }).default ??
  (loraPacketModule as unknown as LoraPacketApi);

export type LoraPacket = ReturnType<LoraPacketApi["fromWire"]>;

// lns-mqtt: uplinks from The Things Stack v3 or ChirpStack v4 over their MQTT integrations.
import type { LnsMqttConfig } from "../../config/schema.js";
import type { SourceFactory } from "../plugins.js";
import { LnsMqttSource } from "./source.js";

export const createSource: SourceFactory<LnsMqttConfig> = (config, deps) =>
  new LnsMqttSource({
    config,
    log: deps.log,
    gatewayId: deps.gatewayId,
    onReject: deps.onReject,
  });

export {
  LnsMqttSource,
  explainMqttError,
  type LnsMqttSourceOptions,
  type LnsMqttStats,
} from "./source.js";
export { lnsTopic, type LnsMqttSettings, type LnsFlavour } from "./config.js";
export { parseLnsUplink, isUplinkTopic, MAX_MESSAGE_BYTES, type LnsReason } from "./uplink.js";

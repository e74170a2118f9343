export { SemtechUdpSource, type SemtechUdpSourceOptions, type SemtechUdpStats } from "./source.js";
export {
  semtechUdpConfigSchema,
  type SemtechUdpConfig,
  DEFAULT_SEMTECH_UDP_PORT,
} from "./config.js";
export * from "./datagram.js";
export { parseRxpk, type ReceivedPacket, type RxpkReason } from "./rxpk.js";

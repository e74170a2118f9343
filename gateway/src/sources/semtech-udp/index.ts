// semtech-udp: a school's own LoRa gateway (Semtech UDP packet forwarder) pointed at this gateway.
import type { SemtechUdpConfig } from "../../config/schema.js";
import { frameCounterDown, frameCounterFcnt } from "../../lorawan/fcnt-store.js";
import { registrySessions } from "../../lorawan/session.js";
import type { SourceFactory } from "../plugins.js";
import { SemtechUdpSource } from "./source.js";

export const createSource: SourceFactory<SemtechUdpConfig> = (config, deps) =>
  new SemtechUdpSource({
    host: config.host,
    port: config.port,
    sessions: registrySessions(deps.registry),
    fcnt: frameCounterFcnt(deps.counters),
    downlinks: { fcntDown: frameCounterDown(deps.counters) },
    log: deps.log,
    onReject: deps.onReject,
  });

export {
  SemtechUdpSource,
  DEFAULT_SEMTECH_UDP_PORT,
  type SemtechUdpSourceOptions,
  type SemtechUdpStats,
} from "./source.js";
export { type ForwarderState, SILENT_FORWARDER_S, MAX_FORWARDERS } from "./forwarders.js";
export * from "./datagram.js";
export { type DownlinkStats } from "./downlinks.js";
export { parseRxpk, type ReceivedPacket, type RxpkReason } from "./rxpk.js";

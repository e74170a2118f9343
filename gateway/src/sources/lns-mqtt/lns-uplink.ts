// What both LNS flavours (ChirpStack, The Things Stack) are mapped to before the frame checks.
// Its own file so chirpstack.ts and tts.ts do not import uplink.ts, which imports them.
export interface LnsUplink {
  devEui: string;
  devAddr: string;
  fCnt: number;
  fPort: number;
  payloadBase64: string | undefined;
  payloadPath: string;
  time: string | undefined;
  gateways: {
    rssi?: number | undefined;
    snr?: number | undefined;
    gatewayId?: string | undefined;
  }[];
  spreadingFactor: number | undefined;
  bandwidthHz: number | undefined;
  frequency: number | undefined;
}

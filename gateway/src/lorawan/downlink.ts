// Class A data downlinks for ABP classroom nodes (LoRaWAN 1.0.x, EU868): the PHYPayload built
// with lora-packet, and the Semtech "txpk" that makes the packet forwarder send it in RX1 (same
// frequency and data rate as the uplink, RX1 delay after its end) or RX2. Pure.
import { fcntMsb } from "./fcnt.js";
import { loraPacket } from "./lora-packet.js";
import type { LoraSession } from "./session.js";

export interface DataDownlink {
  fPort: number; // 1..223
  payload: Uint8Array;
  /** Acknowledges a confirmed uplink (FCtrl.ACK). */
  ack?: boolean;
}

/** An encrypted, MIC-signed Unconfirmed Data Down for this session and FCntDown. */
export function buildDataDownlink(s: LoraSession, fCntDown: number, d: DataDownlink): Buffer {
  const packet = loraPacket.fromFields(
    {
      MType: "Unconfirmed Data Down",
      DevAddr: Buffer.from(s.devAddr, "hex"),
      FCtrl: { ACK: d.ack === true },
      FCnt: fCntDown & 0xffff,
      FPort: d.fPort,
      payload: Buffer.from(d.payload),
    },
    Buffer.from(s.appSKey),
    Buffer.from(s.nwkSKey),
    undefined,
    fcntMsb(fCntDown),
  );
  return packet.getPHYPayload() as Buffer;
}

export interface UplinkRadio {
  tmst: number; // concentrator counter (µs) at the end of the uplink
  frequency: number; // Hz
  dataRate: string; // "SF9BW125"
}

export interface RxWindow {
  /** Seconds after the uplink: RECEIVE_DELAY1 (1 s default; RX2 one second later). */
  rx1DelaySeconds: number;
  /** EU868 RX2: 869.525 MHz; SF12BW125 by the regional default (TTN uses SF9BW125). */
  rx2Frequency: number;
  rx2DataRate: string;
  /** Transmit power in dBm EIRP (EU868 g1/g2 sub-bands: 14 dBm ERP is the safe value). */
  powerDbm: number;
}

export const EU868_WINDOWS: RxWindow = {
  rx1DelaySeconds: 1,
  rx2Frequency: 869_525_000,
  rx2DataRate: "SF12BW125",
  powerDbm: 14,
};

/** The txpk for RX1 ("rx1") or RX2 ("rx2"), per PROTOCOL.TXT section 6. */
export function txpkFor(
  up: UplinkRadio,
  phy: Uint8Array,
  window: "rx1" | "rx2",
  w: RxWindow = EU868_WINDOWS,
): Record<string, unknown> {
  const delayUs = (w.rx1DelaySeconds + (window === "rx2" ? 1 : 0)) * 1_000_000;
  const freqHz = window === "rx1" ? up.frequency : w.rx2Frequency;
  return {
    imme: false,
    tmst: (up.tmst + delayUs) % 0x100000000,
    freq: freqHz / 1e6,
    rfch: 0,
    powe: w.powerDbm,
    modu: "LORA",
    datr: window === "rx1" ? up.dataRate : w.rx2DataRate,
    codr: "4/5",
    ipol: true, // downlinks use inverted polarity
    size: phy.length,
    ncrc: true, // no CRC on downlinks
    data: Buffer.from(phy).toString("base64"),
  };
}

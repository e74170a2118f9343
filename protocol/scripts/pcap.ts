// Capture files as the dissector's users get them: BLE adverts as an nRF Sniffer / Ubertooth
// writes them (LINKTYPE_BLUETOOTH_LE_LL_WITH_PHDR, ADV_NONCONN_IND on channel 37) and LoRaWAN frames
// as a LoRa gateway capture (LINKTYPE_LORATAP, LoRaWAN public sync word 0x34). Used by the tests
// and by scripts/write-band-capture.ts (the docs screenshot). Formats: tcpdump.org/linktypes, LoRaTap v0.
import loraPacketModule from "lora-packet";

// lora-packet is CommonJS whose typings declare a default export Node's ESM loader does not make.
type LoraPacketApi = typeof loraPacketModule.default;
const loraPacket: LoraPacketApi =
  (loraPacketModule as unknown as { default?: LoraPacketApi }).default ??
  (loraPacketModule as unknown as LoraPacketApi);

export const LINKTYPE_BLUETOOTH_LE_LL_WITH_PHDR = 256;
export const LINKTYPE_LORATAP = 270;

export interface CapturedPacket {
  /** Capture time, unix seconds (fractions allowed). */
  time: number;
  data: Uint8Array;
}

/** A classic little-endian pcap file, microsecond timestamps. */
export function pcapFile(linktype: number, packets: CapturedPacket[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(linktype, 20);
  const records = packets.map((p) => {
    const r = Buffer.alloc(16);
    const seconds = Math.floor(p.time);
    r.writeUInt32LE(seconds, 0);
    r.writeUInt32LE(Math.round((p.time - seconds) * 1e6), 4);
    r.writeUInt32LE(p.data.length, 8);
    r.writeUInt32LE(p.data.length, 12);
    return Buffer.concat([r, Buffer.from(p.data)]);
  });
  return Buffer.concat([header, ...records]);
}

/** BLE CRC-24 (Core spec Vol 6 Part B 3.1.1), advertising CRC init 0x555555, as sent (LSB first). */
export function bleCrc24(pdu: Uint8Array): Buffer {
  let state = 0xaaaaaa; // 0x555555 bit-reversed: the register shifts right, LSB first
  for (const byte of pdu) {
    let cur = byte;
    for (let bit = 0; bit < 8; bit++) {
      const next = (state ^ cur) & 1;
      cur >>= 1;
      state >>>= 1;
      if (next) state = (state | 0x800000) ^ 0x5a6000;
    }
  }
  return Buffer.from([state & 0xff, (state >> 8) & 0xff, (state >> 16) & 0xff]);
}

/**
 * One ADV_NONCONN_IND from a random static address, with a Flags AD when it fits in 31 bytes
 * and the manufacturer data under companyId (little-endian on air).
 */
export function bleAdvert(
  address: string,
  manufacturerData: Uint8Array,
  companyId = 0x0590,
): Buffer {
  const adva = Buffer.from(address.split(":").reverse().join(""), "hex");
  const manufacturer = Buffer.concat([
    Buffer.from([manufacturerData.length + 3, 0xff, companyId & 0xff, companyId >> 8]),
    Buffer.from(manufacturerData),
  ]);
  const flags = Buffer.from([0x02, 0x01, 0x04]);
  const advData =
    manufacturer.length + flags.length <= 31 ? Buffer.concat([flags, manufacturer]) : manufacturer;
  const payload = Buffer.concat([adva, advData]);
  const pdu = Buffer.concat([Buffer.from([0x42, payload.length]), payload]); // ADV_NONCONN_IND, TxAdd random
  const accessAddress = Buffer.from([0xd6, 0xbe, 0x89, 0x8e]);
  const phdr = Buffer.alloc(10);
  phdr.writeUInt8(0, 0); // RF channel 0 = 2402 MHz = advertising channel 37
  phdr.writeInt8(-60, 1); // signal dBm
  phdr.writeInt8(-95, 2); // noise dBm
  phdr.writeUInt8(0, 3);
  accessAddress.copy(phdr, 4);
  phdr.writeUInt16LE(0x0001 | 0x0002 | 0x0004 | 0x0010 | 0x0400 | 0x0800, 8); // dewhitened, powers, AA, CRC checked+valid
  return Buffer.concat([phdr, accessAddress, pdu, bleCrc24(pdu)]);
}

export interface LoraSession {
  devAddr: string; // 8 hex digits, big-endian as printed
  nwkSKey: string;
  appSKey: string;
}

/** One LoRaWAN 1.0 data frame (FRMPayload encrypted with the AppSKey, MIC with the NwkSKey) in LoRaTap. */
export function loraTapFrame(
  session: LoraSession,
  direction: "up" | "down",
  fCnt: number,
  fPort: number,
  payload: Uint8Array,
): Buffer {
  const packet = loraPacket.fromFields(
    {
      MType: direction === "up" ? "Unconfirmed Data Up" : "Unconfirmed Data Down",
      DevAddr: Buffer.from(session.devAddr, "hex"),
      FCnt: fCnt,
      FPort: fPort,
      payload: Buffer.from(payload),
    },
    Buffer.from(session.appSKey, "hex"),
    Buffer.from(session.nwkSKey, "hex"),
  );
  const tap = Buffer.alloc(15);
  tap.writeUInt8(0, 0); // version 0
  tap.writeUInt16BE(15, 2); // header length
  tap.writeUInt32BE(868100000, 4); // Hz
  tap.writeUInt8(1, 8); // bandwidth, 125 kHz units
  tap.writeUInt8(7, 9); // SF7
  tap.writeUInt8(139 - 60, 10); // packet RSSI -60 dBm (offset 139)
  tap.writeUInt8(139 - 58, 11);
  tap.writeUInt8(139 - 110, 12);
  tap.writeUInt8(7 * 4, 13); // SNR 7 dB, 0.25 dB units
  tap.writeUInt8(0x34, 14); // LoRaWAN public sync word
  return Buffer.concat([tap, packet.getPHYPayload()!]);
}

/**
 * tshark -o values for Wireshark's "LoRaWAN Encryption Keys" table (DevAddr, NwkSKey, AppSKey,
 * AppEUI). Wireshark 4.0 matches the DevAddr only with its bytes reversed, so both orders are given.
 */
export function lorawanKeysOptions(s: LoraSession): string[] {
  const reversed = s.devAddr.match(/../g)!.reverse().join("");
  return [s.devAddr, reversed].map(
    (addr) =>
      `uat:encryption_keys_lorawan:"${addr}","${s.nwkSKey}","${s.appSKey}","0000000000000000"`,
  );
}

// Opens a LoRaWAN 1.0.x data uplink (PHYPayload) heard by a packet forwarder: finds the ABP
// session by DevAddr, verifies the MIC with NwkSKey over the reconstructed 32-bit FCnt, checks
// the counter against the last accepted one and decrypts FRMPayload with AppSKey. lora-packet
// does the cryptography. Pure: sessions and last counters come from the caller.
import { accept, reject, type Result } from "@leiden-iot/protocol";
import { classifyFcnt, fcntMsb, type FcntClass } from "./fcnt.js";
import { FIRST_CONTACT_MAX_FCNT } from "./first-contact.js";
import type { FcntState } from "./fcnt-store.js";
import { loraPacket, type LoraPacket } from "./lora-packet.js";
import type { LoraSession, LoraSessionLookup } from "./session.js";

export type UplinkReason =
  | "not_lorawan" // too short, unknown major version, or lora-packet cannot parse it
  | "join_not_supported" // join/rejoin request: OTAA needs a network server (see docs)
  | "not_data_uplink" // a downlink or proprietary frame
  | "unknown_devaddr" // no session uses this DevAddr
  | "bad_mic" // no session's NwkSKey verifies the MIC
  | "replay" // counter behind the last accepted one (or equal, with other content)
  | "fcnt_gap" // counter more than MAX_FCNT_GAP ahead
  | "fcnt_search_limited" // first contact above 65535 while the search budget is spent
  | "mac_only" // fPort 0 or no FRMPayload: MAC commands only, nothing for the application
  | "decrypt_failed";

export interface OpenedUplink {
  devEui: string;
  devAddr: string;
  fCnt: number; // 32-bit
  fPort: number;
  payload: Uint8Array; // decrypted FRMPayload
  confirmed: boolean;
  /** MIC as hex: stored with the counter to recognise a second copy of this frame. */
  mic: string;
  /** "same": a retransmission or another gateway's copy of the last accepted frame. */
  counter: FcntClass["kind"];
}

export interface UplinkContext {
  sessions: LoraSessionLookup;
  lastFcnt(devEui: string): FcntState | undefined;
  /**
   * First contact (no stored counter) whose MIC fails over the low 16 bits: may the upper bits
   * be searched (first-contact.ts)? Absent: never.
   */
  searchUpperBits?: () => boolean;
}

const MIN_DATA_BYTES = 12; // MHDR 1 + DevAddr 4 + FCtrl 1 + FCnt 2 + MIC 4

function parse(phy: Uint8Array): Result<LoraPacket, UplinkReason> {
  try {
    const packet = loraPacket.fromWire(Buffer.from(phy));
    if (!packet.DevAddr || !packet.FCnt || !packet.MIC || !packet.MACPayload)
      return reject("not_lorawan", "lora-packet found no data frame header");
    return accept(packet);
  } catch (e) {
    return reject("not_lorawan", `lora-packet: ${(e as Error).message}`);
  }
}

function micVerifies(packet: LoraPacket, s: LoraSession, fCnt: number): boolean {
  try {
    return loraPacket.verifyMIC(packet, Buffer.from(s.nwkSKey), undefined, fcntMsb(fCnt));
  } catch {
    return false;
  }
}

interface Found {
  session: LoraSession;
  counter: FcntClass;
  last: FcntState | undefined;
}

/** The session whose NwkSKey verifies the MIC over the rebuilt 32-bit counter. */
function findSession(
  packet: LoraPacket,
  sessions: readonly LoraSession[],
  wire16: number,
  ctx: UplinkContext,
): Result<Found, UplinkReason> {
  const fresh: LoraSession[] = [];
  for (const s of sessions) {
    const last = ctx.lastFcnt(s.devEui);
    const counter = classifyFcnt(last?.fCnt, wire16);
    if (micVerifies(packet, s, counter.fCnt)) return accept({ session: s, counter, last });
    if (last === undefined) fresh.push(s);
  }
  const devAddr = packet.DevAddr!.toString("hex");
  const badMic = reject("bad_mic", `MIC does not verify for DevAddr ${devAddr} FCnt ${wire16}`);
  if (fresh.length === 0 || !ctx.searchUpperBits) return badMic;
  if (!ctx.searchUpperBits())
    return reject(
      "fcnt_search_limited",
      `DevAddr ${devAddr} FCnt ${wire16}: first contact, the upper counter bits were not searched (search budget spent; the device's next uplink is tried again)`,
    );
  for (let msb = 1; msb <= FIRST_CONTACT_MAX_FCNT >>> 16; msb++) {
    const fCnt = msb * 0x10000 + wire16;
    for (const s of fresh)
      if (micVerifies(packet, s, fCnt))
        return accept({ session: s, counter: { kind: "next", fCnt }, last: undefined });
  }
  return badMic;
}

export function openDataUplink(
  phy: Uint8Array,
  ctx: UplinkContext,
): Result<OpenedUplink, UplinkReason> {
  if (phy.length < 1) return reject("not_lorawan", "empty PHYPayload");
  const mhdr = phy[0]!;
  if ((mhdr & 0x03) !== 0) return reject("not_lorawan", `LoRaWAN major version ${mhdr & 3}`);
  const mtype = mhdr >> 5;
  if (mtype === 0 || mtype === 6)
    return reject(
      "join_not_supported",
      "join request: semtech-udp serves ABP sessions only; use an LNS (lns-mqtt) for OTAA",
    );
  if (mtype !== 2 && mtype !== 4)
    return reject("not_data_uplink", `MType ${mtype} is not a data uplink`);
  if (phy.length < MIN_DATA_BYTES)
    return reject("not_lorawan", `${phy.length} bytes, a data uplink needs >= ${MIN_DATA_BYTES}`);
  const fOptsLen = phy[5]! & 0x0f;
  if (phy.length < MIN_DATA_BYTES + fOptsLen)
    return reject("not_lorawan", `FOptsLen ${fOptsLen} runs past the MIC`);

  const parsed = parse(phy);
  if (!parsed.ok) return parsed;
  const packet = parsed.value;
  const devAddr = packet.DevAddr!.toString("hex");
  const sessions = ctx.sessions.sessionsForDevAddr(devAddr);
  if (sessions.length === 0) return reject("unknown_devaddr", `no session for DevAddr ${devAddr}`);

  const wire16 = packet.FCnt!.readUInt16BE(0);
  const found = findSession(packet, sessions, wire16, ctx);
  if (!found.ok) return found;
  const { session, counter, last } = found.value;
  const mic = packet.MIC!.toString("hex");
  const at = `${session.devEui} FCnt ${counter.fCnt}`;
  if (counter.kind === "replay")
    return reject("replay", `${at} is behind the last accepted ${last?.fCnt}`);
  if (counter.kind === "gap")
    return reject("fcnt_gap", `${at} is too far ahead of the last accepted ${last?.fCnt}`);
  if (counter.kind === "same" && last?.mic !== mic)
    return reject("replay", `${at} was already accepted with other content`);

  const fPort = packet.getFPort();
  if (fPort === null || fPort === 0 || !packet.FRMPayload || packet.FRMPayload.length === 0)
    return reject("mac_only", `${at}: fPort ${fPort ?? "absent"}, no application payload`);
  let payload: Buffer;
  try {
    payload = loraPacket.decrypt(
      packet,
      Buffer.from(session.appSKey),
      Buffer.from(session.nwkSKey),
      fcntMsb(counter.fCnt),
    );
  } catch (e) {
    return reject("decrypt_failed", `${at}: ${(e as Error).message}`);
  }
  return accept({
    devEui: session.devEui,
    devAddr,
    fCnt: counter.fCnt,
    fPort,
    payload: new Uint8Array(payload),
    confirmed: mtype === 4,
    mic,
    counter: counter.kind,
  });
}

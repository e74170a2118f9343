// A test packet forwarder: a real UDP socket on loopback that speaks the Semtech UDP protocol
// to the source and records every reply with the time it arrived.
import { createSocket, type Socket } from "node:dgram";

/** The Semtech UDP identifiers the gateway sends back to a packet forwarder. */
export const PUSH_ACK = 0x01;
export const PULL_RESP = 0x03;
export const PULL_ACK = 0x04;

export interface Reply {
  bytes: Buffer;
  token: number;
  identifier: number;
  at: number; // performance.now()
}

export interface RxpkOptions {
  rssi?: number;
  lsnr?: number;
  freq?: number;
  datr?: string;
  time?: string;
  tmst?: number;
}

export function rxpk(phy: Uint8Array, o: RxpkOptions = {}): Record<string, unknown> {
  return {
    ...(o.time !== undefined ? { time: o.time } : {}),
    tmst: o.tmst ?? 3512348611,
    chan: 2,
    rfch: 0,
    freq: o.freq ?? 868.5,
    stat: 1,
    modu: "LORA",
    datr: o.datr ?? "SF9BW125",
    codr: "4/5",
    rssi: o.rssi ?? -97,
    lsnr: o.lsnr ?? 5.5,
    size: phy.length,
    data: Buffer.from(phy).toString("base64"),
  };
}

export function header(version: number, token: number, id: number, eui?: string): Buffer {
  const h = Buffer.from([version, token >> 8, token & 0xff, id]);
  return eui ? Buffer.concat([h, Buffer.from(eui, "hex")]) : h;
}

export function pushData(eui: string, token: number, body: unknown, version = 2): Buffer {
  return Buffer.concat([header(version, token, 0x00, eui), Buffer.from(JSON.stringify(body))]);
}

export class PacketForwarder {
  readonly replies: Reply[] = [];
  private waiters: (() => void)[] = [];
  private nextToken = 1;

  private constructor(
    private readonly socket: Socket,
    readonly eui: string,
    private readonly serverPort: number,
  ) {
    socket.on("message", (bytes) => {
      this.replies.push({
        bytes,
        token: bytes.length >= 3 ? bytes.readUInt16BE(1) : -1,
        identifier: bytes.length >= 4 ? bytes[3]! : -1,
        at: performance.now(),
      });
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    });
  }

  static async open(serverPort: number, eui = "b827ebfffe6a1c01"): Promise<PacketForwarder> {
    const socket = createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    return new PacketForwarder(socket, eui, serverPort);
  }

  token(): number {
    return this.nextToken++ & 0xffff;
  }

  send(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.send(bytes, this.serverPort, "127.0.0.1", (e) => (e ? reject(e) : resolve())),
    );
  }

  /** Sends PUSH_DATA with these rxpk and returns its token. */
  async push(rxpks: Record<string, unknown>[], stat?: Record<string, unknown>): Promise<number> {
    const token = this.token();
    await this.send(pushData(this.eui, token, { rxpk: rxpks, ...(stat ? { stat } : {}) }));
    return token;
  }

  /** Waits for a reply with this token and identifier, or null after timeoutMs. */
  async reply(token: number, identifier: number, timeoutMs = 2000): Promise<Reply | null> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const r = this.replies.find((x) => x.token === token && x.identifier === identifier);
      if (r) return r;
      const left = deadline - performance.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

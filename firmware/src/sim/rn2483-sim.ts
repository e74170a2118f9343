// Simulated Microchip RN2483 speaking its ASCII command protocol at 57600 baud: OTAA join, ADR
// data rate, unconfirmed uplinks with airtime accounting, downlinks as `mac_rx`, `sys sleep`
// woken by a break, and injectable error replies.
import { EU868_MAX_PAYLOAD, loraAirtimeMs } from "@leiden-iot/protocol/device";
import type { Scheduler } from "./scheduler.js";

export interface LoraUplinkRecord {
  t: number; // unix seconds (world time) when the uplink finished
  devEui: string;
  devAddr: string;
  fCnt: number;
  fPort: number;
  payload: string; // hex
  dr: number;
  airtimeMs: number;
}

const HEX = /^[0-9a-fA-F]*$/;

export class Rn2483Sim {
  dr = 5;
  joined = false;
  asleep = false;
  devEui = "";
  private appEui = "";
  private appKey = "";
  private devAddr = "";
  private fCnt = 0;
  private sleepTimer = 0;
  /** Replies to force: the next command starting with `prefix` gets `lines` instead. */
  private injected: { prefix: string; lines: string[] }[] = [];
  private downlinks: { port: number; hex: string }[] = [];
  readonly uplinks: LoraUplinkRecord[] = [];
  readonly commands: string[] = [];
  /** Every command with the world time it arrived (unix seconds). */
  readonly commandLog: { t: number; cmd: string }[] = [];
  /** Milliseconds of airtime per local... per UTC day index (floor(t / 86400)). */
  readonly airtimeByDay: Record<number, number> = {};
  baudOk = true;

  constructor(
    private readonly sched: Scheduler,
    private readonly send: (line: string) => void,
    private readonly onUplink: (u: LoraUplinkRecord) => void,
  ) {}

  inject(prefix: string, lines: string[]): void {
    this.injected.push({ prefix, lines });
  }

  queueDownlink(port: number, hex: string): void {
    this.downlinks.push({ port, hex });
  }

  powerOn(): void {
    this.joined = false;
    this.asleep = false;
    this.sched.add(100, () => this.send("RN2483 1.0.5 Oct 31 2018 15:06:52"), 0, "world");
  }

  /** UART break: wakes the module from `sys sleep`, which then answers "ok". */
  uartBreak(): void {
    if (!this.asleep) return;
    this.asleep = false;
    this.sched.cancel(this.sleepTimer);
    this.sched.add(5, () => this.send("ok"), 0, "world");
  }

  private reply(lines: string[], firstMs: number, secondMs: number): void {
    this.sched.add(firstMs, () => this.send(lines[0]!), 0, "world");
    if (lines.length > 1) this.sched.add(secondMs, () => this.send(lines[1]!), 0, "world");
  }

  line(cmd: string): void {
    if (this.asleep || !this.baudOk) return;
    this.commands.push(cmd);
    this.commandLog.push({ t: this.sched.now / 1000, cmd });
    const inj = this.injected.findIndex((i) => cmd.indexOf(i.prefix) === 0);
    if (inj >= 0) {
      const lines = this.injected[inj]!.lines;
      this.injected.splice(inj, 1);
      if (cmd.indexOf("mac join") === 0 && lines[1] === "accepted") this.join();
      return this.reply(lines, 5, 3000);
    }
    const p = cmd.split(" ");
    if (cmd === "sys reset") {
      this.joined = false;
      return this.reply(["RN2483 1.0.5 Oct 31 2018 15:06:52"], 100, 0);
    }
    if (cmd === "mac reset 868") return this.reply(["ok"], 5, 0);
    if (p[0] === "mac" && p[1] === "set") {
      const v = p[3] || "";
      if (p[2] === "deveui" && v.length === 16 && HEX.test(v)) this.devEui = v.toLowerCase();
      else if (p[2] === "appeui" && v.length === 16 && HEX.test(v)) this.appEui = v;
      else if (p[2] === "appkey" && v.length === 32 && HEX.test(v)) this.appKey = v;
      else if (p[2] === "adr" && (v === "on" || v === "off")) {
        /* ADR is simulated by `dr` */
      } else return this.reply(["invalid_param"], 5, 0);
      return this.reply(["ok"], 5, 0);
    }
    if (cmd === "mac get dr") return this.reply([String(this.dr)], 5, 0);
    if (cmd === "mac join otaa") {
      if (!this.devEui || !this.appEui || !this.appKey) return this.reply(["keys_not_init"], 5, 0);
      this.join();
      return this.reply(["ok", "accepted"], 5, 6000);
    }
    if (p[0] === "mac" && p[1] === "tx") return this.tx(p);
    if (p[0] === "sys" && p[1] === "sleep") {
      const ms = parseInt(p[2] || "", 10);
      if (!(ms >= 100)) return this.reply(["invalid_param"], 5, 0);
      this.asleep = true;
      this.sleepTimer = this.sched.add(ms, () => this.uartBreak(), 0, "world");
      return;
    }
    this.reply(["invalid_param"], 5, 0);
  }

  private join(): void {
    this.joined = true;
    this.fCnt = 0;
    this.devAddr = "26" + this.devEui.substring(10, 16);
  }

  private tx(p: string[]): void {
    const port = parseInt(p[3] || "", 10);
    const hex = p[4] || "";
    if (p[2] !== "uncnf" && p[2] !== "cnf") return this.reply(["invalid_param"], 5, 0);
    if (!(port >= 1 && port <= 223) || hex.length % 2 !== 0 || !HEX.test(hex))
      return this.reply(["invalid_param"], 5, 0);
    if (!this.joined) return this.reply(["not_joined"], 5, 0);
    const bytes = hex.length / 2;
    if (bytes > EU868_MAX_PAYLOAD[Math.min(this.dr, 5)]!)
      return this.reply(["invalid_data_len"], 5, 0);
    const air = loraAirtimeMs(bytes, 12 - Math.min(this.dr, 5));
    const fCnt = this.fCnt++;
    const dr = this.dr;
    this.sched.add(5, () => this.send("ok"), 0, "world");
    this.sched.add(
      Math.ceil(air) + 2000,
      () => {
        const t = this.sched.now / 1000;
        const u: LoraUplinkRecord = {
          t,
          devEui: this.devEui,
          devAddr: this.devAddr,
          fCnt,
          fPort: port,
          payload: hex.toLowerCase(),
          dr,
          airtimeMs: Math.round(air * 10) / 10,
        };
        this.uplinks.push(u);
        const day = Math.floor(t / 86400);
        this.airtimeByDay[day] = (this.airtimeByDay[day] || 0) + air;
        this.onUplink(u);
        const d = this.downlinks.shift();
        this.send(d ? "mac_rx " + d.port + " " + d.hex : "mac_tx_ok");
      },
      0,
      "world",
    );
  }
}

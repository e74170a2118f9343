// LoRaWAN session on the RN2483: OTAA join with exponential backoff, ADR, unconfirmed uplinks,
// module asleep between sends.
import type { Timers } from "../hal/types.js";
import type { Rn2483 } from "./rn2483.js";

/** Seconds to wait after the n-th failed join (0-based; then stays at the last value). */
export function joinBackoffS(n: number): number {
  // Built per call: a table held in RAM would cost ~10 variables for good.
  const t = [15, 30, 60, 120, 300, 600, 1200, 3600];
  return t[n < t.length ? n : t.length - 1]!;
}

export interface OtaaIdentity {
  devEui: string;
  appEui: string;
  appKey: string;
}

export interface SendResult {
  ok: boolean;
  /** The RN2483's reply when not ok: no_free_ch, busy, invalid_param, mac_err, not_joined, ... */
  error: string | null;
  downlink: { port: number; hex: string } | null;
}

export interface LoraSession {
  isJoined(): boolean;
  /** Data rate reported by `mac get dr` before the last uplink (ADR may change it). */
  dataRate(): number;
  send(port: number, hex: string, done: (r: SendResult) => void): void;
  /** Errors seen, by reply (for tests and the status log). */
  errors: Record<string, number>;
}

/** What the session is doing: each RN2483 reply goes to the one handler, by phase. */
// A const enum: esbuild inlines the numbers, so the phases cost no variables on the device.
const enum Phase {
  IDLE,
  SETUP,
  JOIN,
  JOIN_DR,
  TX_DR,
  TX,
}

/** Configuration after `sys reset` (built when sent: no strings kept in RAM). */
function setupCommand(step: number, id: OtaaIdentity): string | null {
  if (step === 0) return "mac reset 868";
  if (step === 1) return "mac set deveui " + id.devEui;
  if (step === 2) return "mac set appeui " + id.appEui;
  if (step === 3) return "mac set appkey " + id.appKey;
  if (step === 4) return "mac set adr on";
  return null;
}

/**
 * Memory (Puck.js): one reply handler and a phase number instead of a closure per command; one
 * uplink in flight and one waiting (a second waiting uplink is refused with "busy", the module's
 * own word for "try later": the caller keeps its readings).
 */
export function createLoraSession(
  rn: Rn2483,
  timers: Timers,
  id: OtaaIdentity,
  onJoined: () => void,
): LoraSession {
  let joined = false;
  let failures = 0;
  let dr = 0;
  let phase = Phase.SETUP;
  /** Index of the next setup command (-1: `sys reset` first). */
  let step = -1;
  /** The uplink in flight, and one waiting for the module. */
  let txCmd = "";
  let txDone: ((r: SendResult) => void) | null = null;
  let nextCmd = "";
  let nextDone: ((r: SendResult) => void) | null = null;
  const errors: Record<string, number> = {};
  const count = (e: string): void => {
    errors[e] = (errors[e] || 0) + 1;
  };

  /** Runs the current phase's next command (after a wake). */
  const run = (): void => {
    if (phase === Phase.SETUP) {
      if (step < 0) return rn.command("sys reset", onReply);
      const c = setupCommand(step, id);
      if (c === null) {
        phase = Phase.IDLE;
        return join();
      }
      return rn.command(c, onReply);
    }
    if (phase === Phase.JOIN) return rn.command("mac join otaa", onReply);
    if (phase === Phase.TX_DR) return rn.command("mac get dr", onReply);
  };

  const join = (): void => {
    if (phase !== Phase.IDLE) return;
    phase = Phase.JOIN;
    rn.wake(run);
  };

  /** Starts the waiting uplink, if any, once the module is free. */
  const next = (): void => {
    if (phase !== Phase.IDLE || !nextDone) return;
    txCmd = nextCmd;
    txDone = nextDone;
    nextCmd = "";
    nextDone = null;
    if (!joined) return finishTx(false, "not_joined", null);
    phase = Phase.TX_DR;
    rn.wake(run);
  };

  const finishTx = (ok: boolean, error: string | null, dl: string | null): void => {
    const d = txDone!;
    txDone = null;
    txCmd = "";
    let downlink: { port: number; hex: string } | null = null;
    if (dl) {
      // "mac_rx <port> <hex>"
      const sp = dl.indexOf(" ", 7);
      downlink = {
        port: parseInt(dl.substring(7, sp < 0 ? dl.length : sp), 10) || 0,
        hex: sp < 0 ? "" : dl.substring(sp + 1),
      };
    }
    d({ ok: ok, error: error, downlink: downlink });
    next();
  };

  const onReply = (l: string[]): void => {
    const last = l[l.length - 1] || "timeout";
    const p = phase;
    if (p === Phase.SETUP) {
      if (step >= 0 && l[0] !== "ok") count(l[0] || "timeout");
      step++;
      return run();
    }
    if (p === Phase.JOIN) {
      if (l.length === 2 && last === "accepted") {
        joined = true;
        failures = 0;
        phase = Phase.JOIN_DR;
        return rn.command("mac get dr", onReply);
      }
      count(last);
      const wait = joinBackoffS(failures);
      failures++;
      phase = Phase.IDLE;
      rn.sleep();
      timers.after(wait * 1000, join);
      return;
    }
    if (p === Phase.JOIN_DR || p === Phase.TX_DR) {
      const v = parseInt(l[0] || "", 10);
      if (v >= 0 && v <= 7) dr = v;
      if (p === Phase.TX_DR) {
        phase = Phase.TX;
        return rn.command(txCmd, onReply);
      }
      phase = Phase.IDLE;
      rn.sleep();
      onJoined();
      return next();
    }
    if (p === Phase.TX) {
      phase = Phase.IDLE;
      rn.sleep();
      if (l.length === 2 && last === "mac_tx_ok") return finishTx(true, null, null);
      if (l.length === 2 && last.indexOf("mac_rx ") === 0) return finishTx(true, null, last);
      count(last);
      if (last === "not_joined" || last === "frame_counter_err_rejoin_needed") {
        joined = false;
        join();
      }
      finishTx(false, last, null);
    }
  };

  // After a brown-out the module may still be asleep from before: wake it first, then reset.
  rn.wake(run);

  return {
    isJoined: () => joined,
    dataRate: () => dr,
    errors: errors,
    send: (port, hex, done) => {
      if (!joined) return done({ ok: false, error: "not_joined", downlink: null });
      if (nextDone) return done({ ok: false, error: "busy", downlink: null });
      nextCmd = "mac tx uncnf " + port + " " + hex;
      nextDone = done;
      next();
    },
  };
}

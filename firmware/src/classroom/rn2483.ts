// Microchip RN2483 LoRaWAN module over its ASCII UART protocol. One command at a time; commands
// that answer twice (`mac join`, `mac tx`) wait for the second line. Every reply, including the
// error replies (denied, no_free_ch, busy, invalid_param, mac_err, not_joined, ...) reaches the
// caller as a value; a silent module gives "timeout".
// Memory (Puck.js): a fixed set of closures made once; a command in the queue costs its string and
// callback reference, no object or closure per command.
import type { LineSerial, Timers } from "../hal/types.js";

export const RN2483_BAUD = 57600;
/** Longest wait for a reply: join at SF12 with both receive windows is ~7 s. */
export const RN2483_TIMEOUT_MS = 20000;

export interface Rn2483 {
  /** Sends a command; `done` gets the reply lines (1 or 2) or ["timeout"]. */
  command(text: string, done: (lines: string[]) => void): void;
  /** `sys sleep` for a long time; the module answers "ok" when woken. */
  sleep(): void;
  /** Break + 0x55, then waits for the sleep command's "ok". */
  wake(done: () => void): void;
  isAsleep(): boolean;
}

type Done = (lines: string[]) => void;

export function createRn2483(serial: LineSerial, timers: Timers): Rn2483 {
  /** The command waiting for its reply ("" = none), its reply lines, callback and timeout. */
  let cmd = "";
  let lines: string[] = [];
  let done: Done | null = null;
  let timer: unknown = null;
  /** Queued commands and their callbacks (parallel arrays). */
  const qCmd: string[] = [];
  const qDone: Done[] = [];
  let asleep = false;
  let wakeDone: (() => void) | null = null;

  const finish = (l: string[]): void => {
    const d = done;
    if (!d) return;
    timers.cancel(timer);
    cmd = "";
    done = null;
    d(l);
    pump();
  };
  const pump = (): void => {
    if (done || asleep || qCmd.length === 0) return;
    cmd = qCmd.shift()!;
    done = qDone.shift()!;
    lines = [];
    timer = timers.after(RN2483_TIMEOUT_MS, onTimeout);
    // Two writes: no copy of a long command (a `mac tx` line is up to ~500 characters).
    serial.write(cmd);
    serial.write("\r\n");
  };
  const onTimeout = (): void => finish(["timeout"]);
  /** No "ok" within 200 ms of the break: the module was not asleep after all (it restarted). */
  const onWakeTimeout = (): void => {
    const w = wakeDone;
    if (!w) return;
    asleep = false;
    wakeDone = null;
    w();
    pump();
  };
  serial.open(RN2483_BAUD, (line: string): void => {
    if (asleep) {
      // The reply to `sys sleep` arrives when the module wakes.
      if (line === "ok") {
        asleep = false;
        const w = wakeDone;
        wakeDone = null;
        if (w) w();
        pump();
      }
      return;
    }
    if (!done) return; // unsolicited line (e.g. banner after a brown-out): ignore
    // The version banner also arrives unasked after the module powers up: only `sys reset` wants it.
    if (line.indexOf("RN2483") === 0 && cmd !== "sys reset") return;
    lines.push(line);
    // `mac join` and `mac tx` answer "ok" first, then the outcome.
    if (
      lines.length === 1 &&
      line === "ok" &&
      (cmd.indexOf("mac join") === 0 || cmd.indexOf("mac tx") === 0)
    )
      return;
    finish(lines);
  });

  return {
    command: (text, d) => {
      qCmd.push(text);
      qDone.push(d);
      pump();
    },
    sleep: () => {
      if (done || asleep) return;
      asleep = true;
      serial.write("sys sleep 86400000\r\n");
    },
    wake: (d) => {
      if (!asleep) return d();
      wakeDone = d;
      serial.sendBreak();
      timers.after(200, onWakeTimeout);
    },
    isAsleep: () => asleep,
  };
}

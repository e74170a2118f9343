// Microchip RN2483 LoRaWAN module over its ASCII UART protocol. One command at a time; commands
// that answer twice (`mac join`, `mac tx`) wait for the second line. Every reply, including the
// error replies (denied, no_free_ch, busy, invalid_param, mac_err, not_joined, ...) reaches the
// caller as a value; a silent module gives "timeout".
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

function twoStep(cmd: string): boolean {
  return cmd.indexOf("mac join") === 0 || cmd.indexOf("mac tx") === 0;
}

export function createRn2483(serial: LineSerial, timers: Timers): Rn2483 {
  let pending: {
    cmd: string;
    lines: string[];
    done: (l: string[]) => void;
    timer: unknown;
  } | null = null;
  const queue: { cmd: string; done: (l: string[]) => void }[] = [];
  let asleep = false;
  let wakeDone: (() => void) | null = null;

  const finish = (lines: string[]): void => {
    const p = pending;
    if (!p) return;
    timers.cancel(p.timer);
    pending = null;
    p.done(lines);
    pump();
  };
  const pump = (): void => {
    if (pending || asleep || queue.length === 0) return;
    const next = queue.shift()!;
    pending = {
      cmd: next.cmd,
      lines: [],
      done: next.done,
      timer: timers.after(RN2483_TIMEOUT_MS, () => finish(["timeout"])),
    };
    serial.write(next.cmd + "\r\n");
  };
  const onLine = (line: string): void => {
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
    if (!pending) return; // unsolicited line (e.g. banner after a brown-out): ignore
    // The version banner also arrives unasked after the module powers up: only `sys reset` wants it.
    if (line.indexOf("RN2483") === 0 && pending.cmd !== "sys reset") return;
    pending.lines.push(line);
    if (twoStep(pending.cmd) && pending.lines.length === 1 && line === "ok") return;
    finish(pending.lines);
  };
  serial.open(RN2483_BAUD, onLine);

  return {
    command: (text, done) => {
      queue.push({ cmd: text, done: done });
      pump();
    },
    sleep: () => {
      if (pending || asleep) return;
      asleep = true;
      serial.write("sys sleep 86400000\r\n");
    },
    wake: (done) => {
      if (!asleep) return done();
      wakeDone = done;
      serial.sendBreak();
      timers.after(200, () => {
        // No "ok" within 200 ms: the module was not asleep after all (e.g. it restarted).
        if (wakeDone) {
          asleep = false;
          wakeDone = null;
          done();
          pump();
        }
      });
    },
    isAsleep: () => asleep,
  };
}

// LoRaWAN session on the RN2483: OTAA join with exponential backoff, ADR, unconfirmed uplinks,
// module asleep between sends.
import type { Timers } from "../hal/types.js";
import type { Rn2483 } from "./rn2483.js";

/** Seconds to wait after the n-th failed join (then stays at the last value). */
export const JOIN_BACKOFF_S = [15, 30, 60, 120, 300, 600, 1200, 3600];

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

export function createLoraSession(
  rn: Rn2483,
  timers: Timers,
  id: OtaaIdentity,
  onJoined: () => void,
): LoraSession {
  let joined = false;
  let joining = false;
  let failures = 0;
  let dr = 0;
  const errors: Record<string, number> = {};
  const count = (e: string): void => {
    errors[e] = (errors[e] || 0) + 1;
  };

  const queryDr = (then: () => void): void => {
    rn.command("mac get dr", (l) => {
      const v = parseInt(l[0] || "", 10);
      if (v >= 0 && v <= 7) dr = v;
      then();
    });
  };

  const join = (): void => {
    if (joining) return;
    joining = true;
    rn.wake(() => {
      rn.command("mac join otaa", (l) => {
        joining = false;
        const last = l[l.length - 1] || "timeout";
        if (l.length === 2 && last === "accepted") {
          joined = true;
          failures = 0;
          queryDr(() => {
            rn.sleep();
            onJoined();
          });
          return;
        }
        count(last);
        const wait = JOIN_BACKOFF_S[Math.min(failures, JOIN_BACKOFF_S.length - 1)]!;
        failures++;
        rn.sleep();
        timers.after(wait * 1000, join);
      });
    });
  };

  const setup = [
    "mac reset 868",
    "mac set deveui " + id.devEui,
    "mac set appeui " + id.appEui,
    "mac set appkey " + id.appKey,
    "mac set adr on",
  ];
  // After a brown-out the module may still be asleep from before: wake it first, then reset.
  rn.wake(() => {
    rn.command("sys reset", () => {
      let i = 0;
      const next = (): void => {
        if (i >= setup.length) return join();
        rn.command(setup[i++]!, (l) => {
          if (l[0] !== "ok") count(l[0] || "timeout");
          next();
        });
      };
      next();
    });
  });

  return {
    isJoined: () => joined,
    dataRate: () => dr,
    errors: errors,
    send: (port, hex, done) => {
      if (!joined) return done({ ok: false, error: "not_joined", downlink: null });
      rn.wake(() => {
        queryDr(() => {
          rn.command("mac tx uncnf " + port + " " + hex, (l) => {
            rn.sleep();
            const last = l[l.length - 1] || "timeout";
            if (l.length === 2 && last === "mac_tx_ok")
              return done({ ok: true, error: null, downlink: null });
            if (l.length === 2 && last.indexOf("mac_rx ") === 0) {
              const parts = last.split(" ");
              return done({
                ok: true,
                error: null,
                downlink: { port: parseInt(parts[1] || "0", 10), hex: parts[2] || "" },
              });
            }
            count(last);
            if (last === "not_joined" || last === "frame_counter_err_rejoin_needed") {
              joined = false;
              join();
            }
            done({ ok: false, error: last, downlink: null });
          });
        });
      });
    },
  };
}

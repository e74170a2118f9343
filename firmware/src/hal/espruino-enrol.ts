// Enrolment mode on Espruino (enrol/enrol-mode.ts): connectable advertising, LE Secure
// Connections for the UART, connection events, long press, LED, console API, restart.
import "./espruino-api.js";
import type { EnrolApi, EnrolLink } from "../enrol/enrol-mode.js";

declare global {
  function load(): void;
}

/** A raw advertising packet: flags (LE general discoverable, no BR/EDR) + complete local name. */
export function namePacket(name: string): number[] {
  const p = [2, 1, 6, name.length + 1, 9];
  for (let i = 0; i < name.length; i++) p.push(name.charCodeAt(i) & 0x7f);
  return p;
}

function espruinoLink(blink: (ms: number) => void): EnrolLink {
  return {
    open: (name) => {
      // LE Secure Connections (ECDH P-256) pairing, and the Nordic UART refuses an unencrypted
      // link (encryptUart), so the key written over it never crosses the air in clear.
      NRF.setSecurity({ lesc: 1, mitm: 0, bond: 0, display: 0, keyboard: 0, encryptUart: 1 });
      NRF.setAdvertising(namePacket(name), { connectable: true, scannable: true, interval: 375 });
    },
    close: () => {
      try {
        NRF.disconnect();
      } catch {
        /* not connected */
      }
      NRF.setAdvertising([], { connectable: false, scannable: false, interval: 1000 });
    },
    onConnect: (fn) => {
      NRF.on("connect", fn);
    },
    onLongPress: (seconds, fn) => {
      // Falling edge = release: e.time - e.lastTime is how long the button was held.
      setWatch(
        (e: { time: number; lastTime: number }) => {
          if (e.time - e.lastTime >= seconds) fn();
        },
        BTN,
        { edge: "falling", repeat: true, debounce: 50 },
      );
    },
    blink: blink,
    expose: (api: EnrolApi) => {
      (global as unknown as { liot: EnrolApi }).liot = api;
    },
    restart: () => load(),
  };
}

/** Puck.js: the blue LED blinks while enrolment mode is open. */
export function puckEnrolLink(): EnrolLink {
  return espruinoLink((ms) => digitalPulse(LED3, 1, ms));
}

/** Bangle.js 2 has no LED: one vibration when the window opens (the longer first blink). */
export function bangleEnrolLink(): EnrolLink {
  return espruinoLink((ms) => {
    if (ms > 100) Bangle.buzz(ms);
  });
}

// Live mode on Espruino (classroom/live-mode.ts): the console off Bluetooth, connectable adverts
// with the room in the scan response, the Nordic UART as a plain data pipe, the LED pattern; and
// the button watch the boot bundle keeps (the rest is loaded on demand from Storage).
import "./espruino-api.js";
import type { LiveLink } from "../classroom/live-mode.js";
import type { AdvertPacket } from "./types.js";

declare global {
  const Bluetooth: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  const LoopbackA: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** AD flags: LE general discoverable, no BR/EDR (browsers list only discoverable devices). */
const FLAGS = [2, 1, 6];

/** Calls fn(seconds held) when the button is released (falling edge). */
export function onButtonRelease(fn: (heldS: number) => void): void {
  setWatch((e: { time: number; lastTime: number }) => fn(e.time - e.lastTime), BTN, {
    edge: "falling",
    repeat: true,
    debounce: 50,
  });
}

export function espruinoLiveLink(): LiveLink {
  return {
    open: (name) => {
      // Before any central can connect: from now on Bluetooth input is only Bluetooth.on("data")
      // (forced, so a connection does not move the REPL back), the REPL talks to LoopbackA.
      LoopbackA.setConsole(true);
      // Readings are not secret and children should see no pairing prompt: no encryption here.
      // (Enrolment mode sets its own LE Secure Connections requirement when it opens.)
      NRF.setSecurity({ encryptUart: 0 });
      const p = [name.length + 1, 9];
      for (let i = 0; i < name.length; i++) p.push(name.charCodeAt(i) & 0x7f);
      NRF.setScanResponse(p);
    },
    close: () => {
      try {
        NRF.disconnect();
      } catch {
        /* not connected */
      }
      NRF.setScanResponse([]);
      Bluetooth.setConsole();
    },
    advertise: (packets: AdvertPacket[], intervalMs: number) => {
      const out: Uint8Array[] = [];
      for (let i = 0; i < packets.length; i++) {
        const p = packets[i]!;
        const b = new Uint8Array(p.length + 3);
        b.set(FLAGS, 0);
        b.set(p, 3);
        out.push(b);
      }
      NRF.setAdvertising(out.length === 1 ? out[0] : out, {
        interval: intervalMs,
        connectable: true,
        scannable: true,
      });
    },
    onConnect: (fn) => NRF.on("connect", fn),
    onDisconnect: (fn) => NRF.on("disconnect", fn),
    onData: (fn) => Bluetooth.on("data", fn),
    send: (text) => Bluetooth.write(text),
    // Live mode: two short blue blinks (enrolment mode blinks once).
    blink: () => digitalPulse(LED3, 1, [40, 160, 40] as unknown as number),
  };
}

// Persisted uplink frame counters (per DevEUI) as the semtech-udp source sees them, so a restart
// neither accepts a replay nor rejects a device. The source advances a counter only after the
// pipeline has stored (or definitively rejected) the frame that carried it.
import { loraDownStream, loraStream, type FrameCounterStore } from "../store/frame-counters.js";

export interface FcntState {
  fCnt: number; // last accepted 32-bit FCntUp
  mic: string; // its MIC (8 hex): a second copy of that frame is recognised, a forgery is not
}

export interface FcntStore {
  last(devEui: string): FcntState | undefined;
  /** Records an accepted counter; never moves a counter backwards. */
  advance(devEui: string, fCnt: number, mic: string): void;
}

/**
 * The gateway's persisted counter store (stream "lora:<devEui>", SQLite WAL) as an FcntStore.
 * LoRa streams have no replay window, so `window` holds the 32-bit MIC of the last frame.
 */
export function frameCounterFcnt(store: FrameCounterStore): FcntStore {
  return {
    last(devEui) {
      const s = store.get(loraStream(devEui));
      if (!s) return undefined;
      return { fCnt: s.counter, mic: (s.window & 0xffffffffn).toString(16).padStart(8, "0") };
    },
    advance(devEui, fCnt, mic) {
      const stream = loraStream(devEui);
      const prev = store.get(stream);
      if (prev && prev.counter > fCnt) return;
      store.set(stream, { counter: fCnt, window: BigInt("0x" + mic) });
    },
  };
}

/** Downlink frame counters (NFCntDown) per device, persisted before each use. */
export interface FcntDownStore {
  /** The counter for the next downlink; never handed out twice. */
  take(devEui: string): number;
}

export function frameCounterDown(store: FrameCounterStore): FcntDownStore {
  return {
    take(devEui) {
      const stream = loraDownStream(devEui);
      const next = (store.get(stream)?.counter ?? -1) + 1;
      store.set(stream, { counter: next, window: 0n });
      return next;
    },
  };
}

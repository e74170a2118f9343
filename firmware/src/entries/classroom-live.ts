// Storage module "liot.live" (build/targets.ts MODULES): live mode, loaded by the classroom entry
// with require() at every 1-3 s press. One live controller per boot (require caches exports).
import {
  createLive,
  type LiveControl,
  type LiveDevice,
  type LiveView,
} from "../classroom/live-mode.js";
import { espruinoLiveLink } from "../hal/espruino-live.js";

declare const exports: { press(dev: LiveDevice, view: LiveView): LiveControl };

let live: LiveControl | null = null;
/** A 1-3 s press: opens live mode (or starts its window again); returns the controller. */
exports.press = (dev, view) => {
  if (!live) live = createLive(dev, espruinoLiveLink(), view);
  live.press();
  return live;
};

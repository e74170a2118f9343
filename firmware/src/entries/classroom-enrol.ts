// Storage module "liot.enrol" (build/targets.ts MODULES): the classroom node's enrolment mode,
// loaded by the classroom entry with require() only when it is needed (at boot while the node is
// unenrolled, else at the first long press). Armed, it holds its console API, closures and the
// radio gate (~240 variables on a Puck.js); the boot bundle carries only the button watch.
import { armEnrolment, type EnrolDevice } from "../enrol/enrol-mode.js";
import { puckEnrolLink } from "../hal/espruino-enrol.js";

declare const exports: { arm(dev: EnrolDevice, held: (openWindow: () => void) => void): void };

/**
 * Arms enrolment mode on the node. The button stays the entry's: armEnrolment's long-press
 * handler (opening the window) is handed to `held`, and the entry calls it on each long press.
 */
exports.arm = (dev, held) => {
  const link = puckEnrolLink();
  link.onLongPress = (_seconds, openWindow) => held(openWindow);
  armEnrolment("classroom", dev, link, "Puck.js LIOT klas");
};

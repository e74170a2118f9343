// Enrolment mode armed only when it can be used: at boot while the device is unenrolled, else at
// the first long press. Arming builds the whole console API, its closures and the radio gate:
// ~275 variables on a Puck.js (measured on the interpreter), 10% of the board, that a band
// wearing its enrolment would hold for nothing. Behaviour is armEnrolment's: the long press that
// arms also opens the window, and later long presses open it again.
import { loadConfig } from "../band/band-config.js";
import {
  ENROL_TIMING,
  armEnrolment,
  type EnrolDevice,
  type EnrolLink,
} from "../enrol/enrol-mode.js";
import type { EnrolKind } from "../enrol/enrol-request.js";

export function enrolOnDemand(
  kind: EnrolKind,
  dev: EnrolDevice,
  link: EnrolLink,
  name: string,
): void {
  if (loadConfig(dev.store) === null) {
    armEnrolment(kind, dev, link, name);
    return;
  }
  let openWindow: (() => void) | null = null;
  link.onLongPress(ENROL_TIMING.LONG_PRESS_S, () => {
    if (openWindow) {
      openWindow();
      return;
    }
    const armed = Object.assign({}, link, {
      // armEnrolment asks for its long-press handler: this press is the first one, so open now.
      onLongPress: (_seconds: number, fn: () => void) => {
        openWindow = fn;
        fn();
      },
    });
    armEnrolment(kind, dev, armed, name);
  });
}

import { startClassroom } from "../classroom/classroom-app.js";
import { LIVE_MODULE, type LiveControl, type LiveView } from "../classroom/live-mode.js";
import { ENROL_TIMING, armEnrolment } from "../enrol/enrol-mode.js";
import { puckClassroomBoard } from "../hal/boards.js";
import { puckEnrolLink } from "../hal/espruino-enrol.js";
import { onButtonRelease } from "../hal/espruino-live.js";

const board = puckClassroomBoard();
armEnrolment("classroom", board, puckEnrolLink(), "Puck.js LIOT klas");
// Live mode ("Kijk mee", classroom/live-mode.ts): a 1-3 s press; its code stays in Storage until
// then. A longer press opens enrolment mode (armEnrolment's own watch), which ends live mode.
let live: LiveControl | null = null;
startClassroom(board, (view) =>
  onButtonRelease((s) => {
    if (s >= ENROL_TIMING.LONG_PRESS_S) {
      if (live) live.end("enrol");
    } else if (s >= 1)
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a Storage module
      live = (require(LIVE_MODULE) as { press(d: unknown, v: LiveView): LiveControl }).press(
        board,
        view,
      );
  }),
);

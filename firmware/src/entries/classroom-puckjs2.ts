import { loadConfig } from "../band/band-config.js";
import { startClassroom } from "../classroom/classroom-app.js";
import { LIVE_MODULE, type LiveControl, type LiveView } from "../classroom/live-mode.js";
import { ENROL_MODULE, EnrolPress, type EnrolDevice } from "../enrol/enrol-mode.js";
import { puckClassroomBoard } from "../hal/boards.js";
import { onButtonRelease } from "../hal/espruino-live.js";

const board = puckClassroomBoard();
// One button, two Storage modules loaded only when asked for, so neither costs RAM before:
// live mode ("Kijk mee", classroom/live-mode.ts) on a 1-3 s press, enrolment mode
// (entries/classroom-enrol.ts) on a long press, which ends live mode first. An unenrolled node
// arms enrolment at boot (its window opens by itself).
let view: LiveView | null = null;
let live: LiveControl | null = null;
let openEnrol: (() => void) | null = null;
const armEnrol = (): void =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a Storage module
  (require(ENROL_MODULE) as { arm(d: EnrolDevice, held: (o: () => void) => void): void }).arm(
    board,
    (o) => {
      openEnrol = o;
    },
  );
if (loadConfig(board.store) === null) armEnrol();
onButtonRelease((s) => {
  if (s >= EnrolPress.LONG_S) {
    if (live) live.end("enrol");
    if (!openEnrol) armEnrol();
    if (openEnrol) (openEnrol as () => void)();
  } else if (s >= 1 && view)
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a Storage module
    live = (require(LIVE_MODULE) as { press(d: unknown, v: LiveView): LiveControl }).press(
      board,
      view,
    );
});
startClassroom(board, (v) => {
  view = v;
});

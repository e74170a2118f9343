import { startClassroom } from "../classroom/classroom-app.js";
import { armEnrolment } from "../enrol/enrol-mode.js";
import { puckClassroomBoard } from "../hal/boards.js";
import { puckEnrolLink } from "../hal/espruino-enrol.js";

const board = puckClassroomBoard();
armEnrolment("classroom", board, puckEnrolLink(), "Puck.js LIOT klas");
startClassroom(board);

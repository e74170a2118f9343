import { startBand } from "../band/band-app.js";
import { armEnrolment } from "../enrol/enrol-mode.js";
import { puckBandBoard } from "../hal/boards.js";
import { puckEnrolLink } from "../hal/espruino-enrol.js";

const board = puckBandBoard();
armEnrolment("band", board, puckEnrolLink(), "Puck.js LIOT");
startBand(board);

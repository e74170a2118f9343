import { startBand } from "../band/band-app.js";
import { armEnrolment } from "../enrol/enrol-mode.js";
import { bangleBandBoard } from "../hal/boards.js";
import { bangleEnrolLink } from "../hal/espruino-enrol.js";

const board = bangleBandBoard();
armEnrolment("band", board, bangleEnrolLink(), "Bangle.js LIOT");
startBand(board);

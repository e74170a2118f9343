import { startBand } from "../band/band-app.js";
import { enrolOnDemand } from "./enrol-on-demand.js";
import { bangleBandBoard } from "../hal/boards.js";
import { bangleEnrolLink } from "../hal/espruino-enrol.js";

const board = bangleBandBoard();
enrolOnDemand("band", board, bangleEnrolLink(), "Bangle.js LIOT");
startBand(board);

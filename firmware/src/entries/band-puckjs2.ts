import { startBand } from "../band/band-app.js";
import { enrolOnDemand } from "./enrol-on-demand.js";
import { puckBandBoard } from "../hal/boards.js";
import { puckEnrolLink } from "../hal/espruino-enrol.js";

const board = puckBandBoard();
enrolOnDemand("band", board, puckEnrolLink(), "Puck.js LIOT");
startBand(board);

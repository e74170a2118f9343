import { startBand } from "../band/band-app.js";
import { puckBandBoard } from "../hal/boards.js";

startBand(puckBandBoard());

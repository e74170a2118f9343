import { startBand } from "../band/band-app.js";
import { bangleBandBoard } from "../hal/boards.js";

startBand(bangleBandBoard());

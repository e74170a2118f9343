import { startClassroom } from "../classroom/classroom-app.js";
import { puckClassroomBoard } from "../hal/boards.js";

startClassroom(puckClassroomBoard());

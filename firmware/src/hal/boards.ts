// Assembles the HAL for each device and board from the adapters. AES per BOARD_CRYPTO
// (board-crypto.ts): Puck.js v2 has crypto.AES, Bangle.js 2 runs protocol's softAes128.
import { bangleBattery, bangleButton, bangleFeedback, banglePedometer } from "./banglejs2.js";
import { softAes128 } from "@leiden-iot/protocol/device";
import { espruinoAes } from "./board-crypto.js";
import { espruinoClock, espruinoRadio, espruinoStore, espruinoTimers } from "./espruino-common.js";
import {
  puckBattery,
  puckButton,
  puckFeedback,
  puckI2C,
  puckLights,
  puckPedometer,
  puckSerial,
} from "./puckjs2.js";
import type { BandBoard, ClassroomBoard } from "./types.js";

export function puckBandBoard(): BandBoard {
  return {
    name: "puckjs2",
    clock: espruinoClock(),
    timers: espruinoTimers(),
    store: espruinoStore(),
    radio: espruinoRadio(),
    pedometer: puckPedometer(),
    feedback: puckFeedback(),
    battery: puckBattery(false),
    button: puckButton(),
    aes: espruinoAes(),
  };
}

export function bangleBandBoard(): BandBoard {
  return {
    name: "banglejs2",
    clock: espruinoClock(),
    timers: espruinoTimers(),
    store: espruinoStore(),
    radio: espruinoRadio(),
    pedometer: banglePedometer(),
    feedback: bangleFeedback(),
    battery: bangleBattery(),
    button: bangleButton(),
    aes: softAes128,
  };
}

export function puckClassroomBoard(): ClassroomBoard {
  return {
    name: "puckjs2",
    clock: espruinoClock(),
    timers: espruinoTimers(),
    store: espruinoStore(),
    radio: espruinoRadio(),
    i2c: puckI2C(),
    serial: puckSerial(),
    lights: puckLights(),
    battery: puckBattery(true),
    button: puckButton(),
    aes: espruinoAes(),
  };
}

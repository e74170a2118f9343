// Names Espruino defines at global scope. A bundle built with `scope: "global"` (targets.ts) puts
// its minified top-level names there: each must be none of these, or the bundle would replace a
// built-in (`E`, a pin such as `D5`). The interpreter's own list is checked against this one on the
// real 2v29 builds (test/espruino/classroom-globals.test.ts); the board objects the Linux builds
// lack (NRF, Bluetooth, Puck, Bangle, LEDs, buttons, Graphics) are listed from the Espruino docs.
import * as acorn from "acorn";

const INTERPRETER = (
  "quit interrupt Object Function AES Array ArrayBuffer ArrayBufferView Boolean DataView Date E " +
  "Error Float32Array Float64Array HIGH I2C I2C1 I2C2 I2C3 Infinity Int16Array Int32Array " +
  "Int8Array InternalError JSON LOW LoopbackA LoopbackB Math Modules NaN Number OneWire Pin " +
  "Promise ReferenceError RegExp SPI SPI1 SPI2 SPI3 Serial Serial1 Serial2 Serial3 Serial4 " +
  "Serial5 Serial6 StorageFile String SyntaxError TypeError USB Uint16Array Uint24Array " +
  "Uint32Array Uint8Array Uint8ClampedArray Waveform analogRead analogWrite arguments atob btoa " +
  "changeInterval clearInterval clearTimeout clearWatch console decodeURIComponent digitalPulse " +
  "digitalRead digitalWrite dump echo edit encodeURIComponent eval fs getPinMode getSerial " +
  "getTime global globalThis isFinite isNaN load parseFloat parseInt peek16 peek32 peek8 " +
  "pinMode poke16 poke32 poke8 print process require reset save setBusyIndicator setInterval " +
  "setSleepIndicator setTime setTimeout setWatch shiftOut trace"
).split(" ");

/** Puck.js v2 and Bangle.js 2 objects and pins (Espruino docs, boards/PUCKJS.py, BANGLEJS2.py). */
const BOARDS = (
  "NRF Bluetooth BluetoothDevice BluetoothRemoteGATTServer BluetoothRemoteGATTService " +
  "BluetoothRemoteGATTCharacteristic NRFConnection Puck Bangle Graphics g Terminal WIDGETS " +
  "LED LED1 LED2 LED3 BTN BTN1 BTN2 BTN3 BTN4 FET IR CAPSENSE VIBRATE MAG " +
  "Storage crypto heatshrink ESP8266 tensorflow Microbit NFC"
).split(" ");

export const ESPRUINO_GLOBALS: string[] = INTERPRETER.concat(BOARDS, pins());

function pins(): string[] {
  const out: string[] = [];
  for (let i = 0; i <= 47; i++) out.push("D" + i, "A" + i);
  return out;
}

/**
 * A statement that names every Espruino global without running: given to the minifier with the
 * bundle, it keeps each name out of the minified names (esbuild never reuses a name the code
 * references unbound) and is itself dropped as dead code.
 */
export function reservedNamesStatement(): string {
  return "void (() => [" + ESPRUINO_GLOBALS.join(",") + "]);\n";
}

/** The names a script declares at its top level (var, let, const, function, class). */
export function topLevelNames(code: string): string[] {
  const ast = acorn.parse(code, { ecmaVersion: 2020, sourceType: "script" });
  const out: string[] = [];
  for (const s of ast.body) {
    if (s.type === "FunctionDeclaration" || s.type === "ClassDeclaration") {
      if (s.id) out.push(s.id.name);
    } else if (s.type === "VariableDeclaration")
      for (const d of s.declarations) if (d.id.type === "Identifier") out.push(d.id.name);
  }
  return out;
}

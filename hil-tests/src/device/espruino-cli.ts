// Device control through the official `espruino` CLI: evaluate on the device, set its clock,
// change a setting in Storage and restart the app (`load()`), make a second Espruino broadcast an
// advert. Command lines are built by pure functions (tested); a device that does not answer is
// "not run" with the fix.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { COMPANY_ID } from "@leiden-iot/protocol";
import { NotRunError } from "../scenario/types.js";

/** Serial consoles run at 9600 baud (Puck.js D28/D29); BLE addresses need no baud rate. */
export function espruinoArgs(port: string, expression: string): string[] {
  const serial = port.startsWith("/dev/") || /^COM\d+$/i.test(port);
  return serial
    ? ["--no-ble", "-p", port, "-b", "9600", "-e", expression]
    : ["-p", port, "-e", expression];
}

export function setTimeExpression(unixSeconds: number): string {
  return `setTime(${Math.floor(unixSeconds)});print("HIL-OK",Math.floor(getTime()))`;
}

/** Changes the daily goal in the provisioned config and restarts the app like a reboot would. */
export function setGoalExpression(goal: number): string {
  if (!Number.isInteger(goal) || goal < 100 || goal > 100000)
    throw new Error(`goal ${goal} is outside the firmware's 100..100000`);
  return (
    `var S=require("Storage");var c=S.readJSON("liot.cfg",1);` +
    `if(!c){print("HIL-NOCFG")}else{c.goal=${goal};S.writeJSON("liot.cfg",c);print("HIL-OK");setTimeout(load,100)}`
  );
}

/** A second Espruino advertises the given manufacturer data under 0x0590 for ms, then stops. */
export function broadcastExpression(data: Uint8Array, ms: number): string {
  return (
    `NRF.setAdvertising({},{manufacturer:0x${COMPANY_ID.toString(16).padStart(4, "0")},manufacturerData:[${Array.from(data).join(",")}],interval:100});` +
    `setTimeout(function(){NRF.setAdvertising({})},${Math.round(ms)});print("HIL-OK")`
  );
}

function espruinoBin(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve("espruino/package.json");
  return join(dirname(pkg), "bin", "espruino-cli.js");
}

export async function espruinoEval(
  port: string,
  expression: string,
  timeoutMs = 45_000,
): Promise<string> {
  let bin: string;
  try {
    bin = espruinoBin();
  } catch {
    throw new NotRunError(
      "the espruino CLI is not installed",
      "run `npm ci` (firmware depends on espruino)",
    );
  }
  const noAnswer = (why: string) =>
    new NotRunError(
      `the device at ${port} did not answer the espruino CLI: ${why.trim().slice(-300)}`,
      "bands advertise non-connectable: wire a USB-TTL adapter to D28/D29 and set the device's port to its tty (see README); check power and `npx espruino --list`",
    );
  const out = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, ...espruinoArgs(port, expression)],
      { timeout: timeoutMs },
      (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message} ${stderr}`.trim())) : resolve(stdout + stderr),
    );
  }).catch((e: Error) => {
    throw noAnswer(e.message);
  });
  // The CLI exits 0 when it cannot connect; it says so instead.
  if (out.indexOf("HIL-OK") < 0 && /Unable to connect|not found|No device found/i.test(out))
    throw noAnswer(out);
  if (out.indexOf("HIL-OK") < 0)
    throw new NotRunError(
      `the device at ${port} answered but did not run the command: ${out.trim().slice(-300)}`,
      "check that the device runs the leiden firmware and is provisioned (npm run provision)",
    );
  return out;
}

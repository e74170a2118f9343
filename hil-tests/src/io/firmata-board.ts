// The rig's johnny-five Board: StandardFirmata on a serial port, opened with the serialport v12
// stack this repo builds (johnny-five's own serialport@8 has no native build here) and handed to
// johnny-five as an IO plugin (firmata-io). A missing port or a silent board is "not run".
import { createRequire } from "node:module";
import type { EventEmitter } from "node:events";
import five, { type Board } from "johnny-five";
import { NotRunError } from "../scenario/types.js";

const require = createRequire(import.meta.url);

interface SerialPortModule {
  SerialPort: (new (o: { path: string; baudRate: number; autoOpen?: boolean }) => EventEmitter & {
    open(cb: (err: Error | null) => void): void;
    close(cb?: (err: Error | null) => void): void;
    isOpen: boolean;
  }) & { list(): Promise<{ path: string; manufacturer?: string }[]> };
}

const FIRMATA_FIX =
  "upload StandardFirmata to the board (Arduino IDE: File > Examples > Firmata > StandardFirmata), " +
  "check firmata.port and firmata.baudRate (57600) in the rig config";

function loadSerialPort(): SerialPortModule {
  try {
    return require("serialport") as SerialPortModule;
  } catch (e) {
    throw new NotRunError(
      `the serialport package cannot load: ${(e as Error).message}`,
      "run `npm ci` (serialport v12 ships prebuilt bindings for Linux, macOS and Windows)",
    );
  }
}

export interface OpenedBoard {
  board: Board;
  close(): Promise<void>;
}

export async function openFirmataBoard(
  path: string,
  baudRate: number,
  timeoutMs = 15_000,
): Promise<OpenedBoard> {
  const { SerialPort } = loadSerialPort();
  const ports = await SerialPort.list().catch(() => []);
  if (!ports.some((p) => p.path === path))
    throw new NotRunError(
      `no serial port ${path} (found: ${ports.map((p) => p.path).join(", ") || "none"})`,
      "plug in the Firmata board and set firmata.port in the rig config to its port (e.g. /dev/ttyACM0); on Linux add yourself to the dialout group",
    );
  const port = new SerialPort({ path: path, baudRate: baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((err) =>
      err
        ? reject(
            new NotRunError(
              `cannot open ${path}: ${err.message}`,
              "close other programs using the port (Arduino IDE serial monitor) and check permissions (dialout group)",
            ),
          )
        : resolve(),
    ),
  );
  const { Firmata } = require("firmata-io") as { Firmata: new (t: unknown) => EventEmitter };
  const io = new Firmata(port);
  const board = await new Promise<Board>((resolve, reject) => {
    // johnny-five only starts its own timeout after Firmata's "connect"; a port with something
    // else (or nothing) on it never connects, so the whole handshake gets a limit here.
    const timer = setTimeout(
      () =>
        reject(
          new NotRunError(
            `the Firmata board on ${path} did not answer within ${timeoutMs / 1000} s`,
            FIRMATA_FIX,
          ),
        ),
      timeoutMs,
    );
    const b = new five.Board({ io: io, repl: false, debug: false, timeout: timeoutMs });
    b.once("ready", () => {
      clearTimeout(timer);
      resolve(b);
    });
    b.once("error", (e: Error) => {
      clearTimeout(timer);
      reject(
        new NotRunError(`the Firmata board on ${path} did not answer: ${e.message}`, FIRMATA_FIX),
      );
    });
  }).catch((e: unknown) => {
    port.close();
    throw e;
  });
  return {
    board: board,
    close: () => new Promise<void>((r) => (port.isOpen ? port.close(() => r()) : r())),
  };
}

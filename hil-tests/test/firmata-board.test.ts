// The rig's Firmata board: a serial port that is not there is NOT RUN, naming the ports found.
import { describe, expect, it } from "vitest";
import { openFirmataBoard } from "../src/io/firmata-board.js";
import { NotRunError } from "../src/scenario/types.js";

describe("openFirmataBoard", () => {
  it("refuses a missing port with the ports it found and the fix", async () => {
    const err = await openFirmataBoard("/dev/ttyHIL-missing", 57600).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotRunError);
    expect((err as Error).message).toMatch(/^no serial port \/dev\/ttyHIL-missing \(found: /);
    expect((err as NotRunError).fix).toMatch(/firmata\.port/);
  });
});

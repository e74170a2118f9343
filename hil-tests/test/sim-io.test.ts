// The SimIO plugin under real johnny-five components: what a Servo, Relay and Sensor do on top of
// it must reach the simulator wiring, exactly as they would reach a Firmata board.
import five, { type Board } from "johnny-five";
import { describe, expect, it } from "vitest";
import { SimIO, type SimWiring } from "../src/io/sim-io.js";

function boardOn(io: SimIO): Promise<Board> {
  const board = new five.Board({ io: io, repl: false, debug: false, timeout: 2000 });
  return new Promise((resolve, reject) => {
    board.once("ready", () => resolve(board));
    board.once("error", reject);
  });
}

describe("SimIO as a johnny-five IO plugin", () => {
  it("satisfies the contract the Board checks: ready, MODES, pins, analogPins", async () => {
    const io = new SimIO({});
    const board = await boardOn(io);
    expect(board.isReady).toBe(true);
    expect(board.MODES).toEqual({ INPUT: 0, OUTPUT: 1, ANALOG: 2, PWM: 3, SERVO: 4 });
    expect(io.pins).toHaveLength(20);
    expect(io.analogPins).toEqual([14, 15, 16, 17, 18, 19]);
    expect(io.pins[14]!.analogChannel).toBe(0);
    expect(io.pins[9]!.analogChannel).toBe(127);
  });

  it("turns Servo.to() into angles on the servo's pin", async () => {
    const angles: [number, number][] = [];
    const io = new SimIO({ servo: (pin, deg) => angles.push([pin, Math.round(deg)]) });
    const board = await boardOn(io);
    const servo = new five.Servo({ pin: 9, board: board, startAt: 90 });
    servo.to(60);
    servo.to(120);
    expect(angles).toEqual([
      [9, 90],
      [9, 60],
      [9, 120],
    ]);
  });

  it("turns Relay close()/open() into HIGH/LOW, inverted for an NC relay", async () => {
    const writes: [number, number][] = [];
    const wiring: SimWiring = { digitalWrite: (pin, v) => writes.push([pin, v]) };
    const board = await boardOn(new SimIO(wiring));
    const no = new five.Relay({ pin: 7, board: board });
    const nc = new five.Relay({ pin: 8, board: board, type: "NC" });
    no.close();
    no.open();
    nc.close();
    expect(writes).toEqual([
      [7, 1],
      [7, 0],
      [8, 0],
    ]);
    expect(no.isClosed).toBe(false);
    expect(nc.isClosed).toBe(true);
  });

  it("feeds a Sensor on A1 from the wiring's analog channel 1 at every report()", async () => {
    let level = 100;
    const asked: number[] = [];
    const io = new SimIO({
      analogRead: (ch) => {
        asked.push(ch);
        return level;
      },
    });
    const board = await boardOn(io);
    const sensor = new five.Sensor({ pin: "A1", board: board, freq: 25 });
    expect(sensor.raw).toBe(100);
    level = 800;
    io.report();
    expect(sensor.raw).toBe(800);
    level = 5000; // clamped to the 10-bit ADC
    io.report();
    expect(sensor.raw).toBe(1023);
    expect(new Set(asked)).toEqual(new Set([1]));
    sensor.disable();
  });

  it("refuses a pin the board does not have", async () => {
    const board = await boardOn(new SimIO({}));
    expect(() => board.pinMode(25, board.MODES.OUTPUT!)).toThrow(/pin 25 does not exist/);
  });
});

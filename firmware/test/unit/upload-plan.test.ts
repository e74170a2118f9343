import { describe, expect, it } from "vitest";
import { boardFile, flashCommand, provisionCommand } from "../../src/build/upload-plan.js";

describe("flash command", () => {
  it("writes the bundle as .bootcde over BLE, sets the clock and reloads", () => {
    const c = flashCommand({
      device: "band",
      board: "puckjs2",
      port: "e7:11:22:33:44:55",
      distDir: "/fw/dist",
      espruinoBin: "espruino",
    });
    expect(c).toEqual({
      cmd: "espruino",
      args: [
        "-p",
        "e7:11:22:33:44:55",
        "--board",
        boardFile("puckjs2"),
        "-t",
        "--storage",
        ".bootcde:/fw/dist/band-puckjs2.js",
        "-e",
        "load()",
      ],
    });
  });
  it("writes a classroom node's live-mode module next to its bundle", () => {
    const c = flashCommand({
      device: "classroom",
      board: "puckjs2",
      port: "e7:11:22:33:44:55",
      distDir: "/fw/dist",
      espruinoBin: "espruino",
    });
    expect(c.args.slice(5, 9)).toEqual([
      "--storage",
      ".bootcde:/fw/dist/classroom-puckjs2.js",
      "--storage",
      "liot.live:/fw/dist/classroom-live.js",
    ]);
  });
  it("uses serial without BLE for a tty, and the Bangle board id", () => {
    const c = flashCommand({
      device: "band",
      board: "banglejs2",
      port: "/dev/ttyACM0",
      distDir: "d",
      espruinoBin: "e",
    });
    expect(c.args.slice(0, 5)).toEqual([
      "-p",
      "/dev/ttyACM0",
      "--no-ble",
      "--board",
      boardFile("banglejs2"),
    ]);
    expect(c.args).toContain(".bootcde:d/band-banglejs2.js");
  });
  it("refuses a classroom on a Bangle and a missing port, saying what to do", () => {
    expect(() =>
      flashCommand({
        device: "classroom",
        board: "banglejs2",
        port: "x",
        distDir: "d",
        espruinoBin: "e",
      }),
    ).toThrow(/classroom: puckjs2 only/);
    expect(() =>
      flashCommand({ device: "band", board: "puckjs2", port: "", distDir: "d", espruinoBin: "e" }),
    ).toThrow(/--port is required/);
  });
  it("provisioning writes liot.cfg", () => {
    const c = provisionCommand({
      port: "e7:11:22:33:44:55",
      board: "puckjs2",
      configFile: "/tmp/c.json",
      espruinoBin: "e",
    });
    expect(c.args).toContain("liot.cfg:/tmp/c.json");
    expect(c.args).toContain("-t");
  });
});

describe("provision plan", () => {
  it("derives the keys from the master key and records the device in the registry", async () => {
    const p = await import("../../src/build/provision-plan.js");
    const proto = await import("@leiden-iot/protocol");
    const master = proto.fromHex("000102030405060708090a0b0c0d0e0f")!;
    const plan = p.provisionPlan({
      device: "classroom",
      board: "puckjs2",
      port: "/dev/ttyACM0",
      deviceId: 513,
      masterKey: master,
      registry: "reg.yaml",
      configFile: "/tmp/c.json",
      espruinoBin: "espruino",
      aes: proto.nodeAes128,
      preset: "B",
    });
    expect(plan.config.key).toBe(proto.toHex(proto.deriveDeviceKey(proto.nodeAes128, master, 513)));
    expect(plan.config.deveui).toBe("024c494f00000201");
    expect(plan.config.preset).toBe("B");
    expect(plan.commands[1]!.args).toEqual([
      "run",
      "gateway",
      "--",
      "keys",
      "add",
      "--id",
      "513",
      "--kind",
      "classroom",
      "--dev-eui",
      "024c494f00000201",
      "--registry",
      "reg.yaml",
    ]);
  });
});

// Flashing works on a closed network: the board data ships in firmware/boards/ and the real
// espruino CLI uses it without downloading anything; without a Bluetooth adapter, flash and
// provision say so in one line instead of a D-Bus stack trace.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bluetoothProblem } from "../../src/build/bluetooth-check.js";
import { boardFile } from "../../src/build/upload-plan.js";
import { FIRMWARE_ROOT } from "../../src/sim/simulation.js";

const espruinoCli = path.join(FIRMWARE_ROOT, "..", "node_modules", ".bin", "espruino");
// Any HTTP(S) request would go to a port where nothing listens and fail.
const offline = {
  ...process.env,
  http_proxy: "http://127.0.0.1:9",
  https_proxy: "http://127.0.0.1:9",
  HTTP_PROXY: "http://127.0.0.1:9",
  HTTPS_PROXY: "http://127.0.0.1:9",
};

describe("board data in the repository", () => {
  for (const board of ["puckjs2", "banglejs2"] as const)
    it(`the espruino CLI loads ${board}'s board file offline and builds code for it`, () => {
      const dir = mkdtempSync(path.join(tmpdir(), "liot-board-"));
      try {
        writeFileSync(path.join(dir, "in.js"), 'var s = require("Storage"); s.list();\n');
        const out = path.join(dir, "out.js");
        const r = spawnSync(
          espruinoCli,
          ["--verbose", "--board", boardFile(board), "-o", out, path.join(dir, "in.js")],
          { env: offline, encoding: "utf8", timeout: 60_000 },
        );
        const log = r.stdout + r.stderr;
        expect(r.status, log).toBe(0);
        expect(log).toContain(`Explicit board JSON supplied: "${boardFile(board)}"`);
        // Given the board name instead, the CLI logs "Loading http://www.espruino.com/json/...".
        expect(log).not.toMatch(/Loading http|getURL\(/);
        expect(readFileSync(out, "utf8")).toContain('require("Storage")');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
});

describe("no Bluetooth adapter", () => {
  it("is reported in one line for a BLE address on Linux, not for a USB port or with an adapter", () => {
    const none = { platform: "linux" as const, adapters: null };
    expect(bluetoothProblem("e7:11:22:33:44:55", none)).toMatch(
      /^no Bluetooth adapter .*install BlueZ .*--port \/dev\/ttyACM0$/,
    );
    expect(bluetoothProblem("e7:11:22:33:44:55", { platform: "linux", adapters: [] })).not.toBe(
      null,
    );
    expect(bluetoothProblem("/dev/ttyACM0", none)).toBeNull();
    expect(bluetoothProblem("e7:11:22:33:44:55", { platform: "linux", adapters: ["hci0"] })).toBe(
      null,
    );
  });

  it("npm run flash to a BLE address exits 1 with that line and no stack trace", () => {
    const noAdapters = mkdtempSync(path.join(tmpdir(), "liot-sysfs-bt-"));
    const r = spawnSync(
      process.execPath,
      [
        "--conditions=source",
        "--import",
        "tsx",
        "scripts/flash.ts",
        "--device",
        "band",
        "--board",
        "puckjs2",
        "--port",
        "e7:11:22:33:44:55",
      ],
      {
        cwd: FIRMWARE_ROOT,
        env: { ...offline, LIOT_BLUETOOTH_SYSFS: noAdapters },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    rmSync(noAdapters, { recursive: true, force: true });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^no Bluetooth adapter/);
    expect(r.stderr).not.toMatch(/\bat \S+:\d+/);
  });
});

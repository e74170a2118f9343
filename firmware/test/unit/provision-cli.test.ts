// `npm run provision`: --registry resolves from where the user ran npm (INIT_CWD), not from
// firmware/, and without a master key the error names the path it looked at and the command
// that creates the registry.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FIRMWARE_ROOT } from "../../src/sim/simulation.js";

const user = mkdtempSync(path.join(tmpdir(), "liot-provision-cli-"));
afterAll(() => rmSync(user, { recursive: true, force: true }));

function provision(args: string[], env: Record<string, string> = {}) {
  const base = { ...process.env };
  for (const k of ["LIOT_MASTER_KEY", "LIOT_REGISTRY", "LIOT_STATE_DIR"]) delete base[k];
  const r = spawnSync(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "scripts/provision.ts", ...args],
    {
      cwd: FIRMWARE_ROOT,
      encoding: "utf8",
      env: { ...base, INIT_CWD: user, TMPDIR: user, ...env },
    },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const port = ["--port", "00:11:22:33:44:55", "--dry-run", "--id", "257"];

describe("npm run provision", () => {
  it("reads --registry gateway/r.yaml from the user's directory and records the device there", () => {
    const registry = path.join(user, "gateway", "r.yaml");
    mkdirSync(path.dirname(registry));
    writeFileSync(registry, "masterKey: 000102030405060708090a0b0c0d0e0f\ndevices: []\n");
    const r = provision(["--registry", "gateway/r.yaml", ...port]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("device 257 (band)");
    expect(r.out).toContain("keys add --id 257 --kind band --registry " + registry);
  });

  it("without a master key names the path it looked at and the command that creates it", () => {
    const r = provision(["--registry", "nowhere/r.yaml", ...port]);
    expect(r.code).toBe(1);
    const missing = path.join(user, "nowhere", "r.yaml");
    expect(r.err.trim()).toBe(
      `provision: No master key: no key registry at ${missing}. Create it with ` +
        `\`npm run gateway -- keys init --registry ${missing}\`, point --registry at yours, ` +
        "or pass --master-key / set LIOT_MASTER_KEY.",
    );
    // the default is the registry the gateway reads: <LIOT_STATE_DIR>/registry.yaml
    const d = provision(port, { LIOT_STATE_DIR: "st" });
    expect(d.err).toContain(`no key registry at ${path.join(user, "st", "registry.yaml")}.`);
    expect(d.err).toContain("`npm run gateway -- keys init`");
  });
});

// Secrets where they belong (issue 9 item 4): `keys init` writes the registry `start` reads
// (<stateDir>/registry.yaml, LIOT_REGISTRY, LIOT_STATE_DIR, relative to where the user ran the
// command), 0600 in a 0700 directory, never over an existing key and never where git would track
// it unless --force; every state file a running gateway creates is 0600 (checked by stat).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { deriveDeviceKey, fromHex, nodeAes128, toHex } from "@leiden-iot/protocol";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { freePort } from "../../../test/support/mosquitto.js";
import { resolveConfig } from "../../src/config/load.js";
import { startGateway } from "../../src/gateway.js";
import { ensureRegistry } from "../../src/state.js";
import { silent, tempDir } from "../support/gateway.js";

const GATEWAY_DIR = fileURLToPath(new URL("../..", import.meta.url));
const tmp = tempDir("gw-secrets-");
afterAll(() => tmp.dispose());

/** The CLI as `npm run gateway` runs it: cwd gateway/, the user's directory in INIT_CWD. */
function cli(args: string[], initCwd: string, env: Record<string, string> = {}) {
  const base = { ...process.env };
  delete base.LIOT_REGISTRY;
  delete base.LIOT_STATE_DIR;
  const r = spawnSync(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "src/cli/main.ts", ...args],
    { cwd: GATEWAY_DIR, encoding: "utf8", env: { ...base, INIT_CWD: initCwd, ...env } },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const mode = (p: string) => statSync(p).mode & 0o777;

function masterKeyOf(path: string): Uint8Array {
  const doc = parse(readFileSync(path, "utf8")) as { masterKey: string };
  return fromHex(doc.masterKey)!;
}

describe("keys init", () => {
  it("writes <LIOT_STATE_DIR>/registry.yaml 0600 in a new 0700 git-ignored directory, the registry start reads", () => {
    const user = join(tmp.dir, "user");
    mkdirSync(user);
    const r = cli(["keys", "init"], user, { LIOT_STATE_DIR: "state" });
    expect(r.code, r.err).toBe(0);
    const stateDir = join(user, "state");
    const path = join(stateDir, "registry.yaml");
    expect(r.out).toContain(`wrote ${path}`);
    expect(mode(stateDir)).toBe(0o700);
    expect(mode(path)).toBe(0o600);
    expect(readFileSync(join(stateDir, ".gitignore"), "utf8")).toBe("*\n");
    // what `start` opens with the same environment: this file, not a new demo registry
    const config = resolveConfig({}, { LIOT_STATE_DIR: "state", INIT_CWD: user });
    expect(ensureRegistry(config)).toEqual({ path, created: false });
    // and the other keys commands find it too
    const derived = cli(["keys", "derive", "257"], user, { LIOT_STATE_DIR: "state" });
    expect(derived.out.trim()).toBe(toHex(deriveDeviceKey(nodeAes128, masterKeyOf(path), 257)));
  });

  it("honours LIOT_REGISTRY (relative to the user's directory) and --registry", () => {
    const user = join(tmp.dir, "user2");
    mkdirSync(user);
    const viaEnv = cli(["keys", "init"], user, { LIOT_REGISTRY: "keys/site.yaml" });
    expect(viaEnv.code, viaEnv.err).toBe(0);
    expect(mode(join(user, "keys"))).toBe(0o700);
    expect(mode(join(user, "keys", "site.yaml"))).toBe(0o600);
    const viaFlag = cli(["keys", "init", "--registry", "other.yaml"], user);
    expect(viaFlag.code, viaFlag.err).toBe(0);
    expect(mode(join(user, "other.yaml"))).toBe(0o600);
    expect(existsSync(join(GATEWAY_DIR, "other.yaml"))).toBe(false);
  });

  it("never overwrites a master key", () => {
    const user = join(tmp.dir, "user3");
    mkdirSync(user);
    writeFileSync(join(user, "r.yaml"), "masterKey: keep\n");
    const r = cli(["keys", "init", "--registry", "r.yaml"], user);
    expect(r.code).toBe(1);
    expect(r.err).toContain("refusing to overwrite a master key");
    expect(readFileSync(join(user, "r.yaml"), "utf8")).toBe("masterKey: keep\n");
  });

  it("refuses a path git would track unless it is git-ignored or --force", () => {
    const repo = join(tmp.dir, "repo");
    mkdirSync(repo);
    expect(spawnSync("git", ["init", "-q", repo]).status).toBe(0);
    const refused = cli(["keys", "init", "--registry", "registry.yaml"], repo);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`inside the git work tree ${repo} and not git-ignored`);
    expect(refused.err).toContain("--force");
    expect(existsSync(join(repo, "registry.yaml"))).toBe(false);
    writeFileSync(join(repo, ".gitignore"), "secret/\n");
    expect(cli(["keys", "init", "--registry", "secret/r.yaml"], repo).code).toBe(0);
    expect(cli(["keys", "init", "--registry", "forced.yaml", "--force"], repo).code).toBe(0);
    // the default, the state directory, carries its own .gitignore
    expect(cli(["keys", "init"], repo, { LIOT_STATE_DIR: ".state" }).code).toBe(0);
  });

  it("this repository ignores registry files and state wherever they are", () => {
    const ignored = spawnSync(
      "git",
      [
        "check-ignore",
        "--no-index",
        "gateway/registry.yaml",
        "registry.yaml",
        "gateway/.state/registry.yaml",
        "gateway/gateway.sqlite",
        "x/gateway.sqlite-wal",
        "x/gateway.sqlite-shm",
      ],
      { cwd: join(GATEWAY_DIR, ".."), encoding: "utf8" },
    );
    expect(ignored.stdout.trim().split("\n")).toHaveLength(6);
  });
});

describe("state files of a running gateway", () => {
  it("gateway.sqlite, -wal, -shm and the demo registry are 0600 in a 0700 state directory", async () => {
    const stateDir = join(tmp.dir, "gw-state");
    const config = resolveConfig(
      {
        gatewayId: "gw-secrets",
        stateDir,
        broker: { mode: "embedded", url: `mqtt://127.0.0.1:${await freePort()}` },
        metrics: { enabled: false },
        sources: { sim: { bands: 2, classrooms: 1, rate: 50 } },
      },
      {},
    );
    const gw = await startGateway(config, silent);
    try {
      await expect.poll(() => gw.publisher.published, { timeout: 20_000 }).toBeGreaterThan(0);
      expect(mode(stateDir)).toBe(0o700);
      for (const f of [
        "gateway.sqlite",
        "gateway.sqlite-wal",
        "gateway.sqlite-shm",
        "registry.yaml",
      ])
        expect([f, mode(join(stateDir, f))]).toEqual([f, 0o600]);
    } finally {
      await gw.stop();
    }
  }, 60_000);
});

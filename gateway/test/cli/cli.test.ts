// The real CLI in a child process: config (redacted, env overrides, errors naming the path),
// decode (a protocol vector and the envelope it would publish), keys.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import bandVectors from "../../../protocol/vectors/band-advert.json" with { type: "json" };
import { tempDir } from "../support/gateway.js";

const GATEWAY_DIR = fileURLToPath(new URL("../..", import.meta.url));
const tmp = tempDir("gw-cli-");
afterAll(() => tmp.dispose());

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "src/cli/main.ts", ...args],
    {
      cwd: GATEWAY_DIR,
      encoding: "utf8",
      env: { ...process.env, ...env },
    },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("gateway CLI", () => {
  const registry = join(tmp.dir, "registry.yaml");
  writeFileSync(
    registry,
    stringify({
      masterKey: bandVectors.masterKey,
      pseudonymScope: bandVectors.pseudonymScope,
      devices: bandVectors.valid.map((v) => ({ id: v.deviceId, kind: "band" })),
    }),
  );
  const config = join(tmp.dir, "gw.yaml");
  writeFileSync(
    config,
    stringify({
      gatewayId: "gw-cli",
      registry,
      stateDir: join(tmp.dir, "state"),
      broker: { url: "mqtt://user:pw@127.0.0.1:1883", username: "u", password: "topsecret" },
    }),
  );

  it("config prints the effective config with secrets redacted and env overrides applied", () => {
    const r = cli(["config", "--config", config], {
      LIOT_TOPIC_PREFIX: "site-a/gw",
      LIOT_BROKER_PASSWORD: "envsecret",
    });
    expect(r.code).toBe(0);
    expect(r.out).toContain("gatewayId: gw-cli");
    expect(r.out).toContain("topicPrefix: site-a/gw");
    expect(r.out).toContain('password: "***"');
    expect(r.out).not.toMatch(/topsecret|envsecret|user:pw/);
  });

  it("config errors name the YAML path and the fix", () => {
    const bad = join(tmp.dir, "bad.yaml");
    writeFileSync(
      bad,
      stringify({ broker: { url: "http://x", mode: "sometimes" }, outbox: { inFlight: 0 } }),
    );
    const r = cli(["config", "--config", bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("broker.url: broker.url must start with mqtt:// or mqtts://");
    expect(r.err).toMatch(/broker\.mode: .*"auto"/);
    expect(r.err).toContain("outbox.inFlight");
    expect(r.err).toContain("Fix the values above");
  });

  it("decode shows the frame and exactly the envelope of the protocol vector", () => {
    const v = bandVectors.valid[0]!;
    const r = cli([
      "decode",
      v.hex,
      "--config",
      config,
      "--at",
      String(v.envelope.meta.receivedAt),
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`"steps": ${v.decoded.steps}`);
    expect(r.out).toContain("pipeline: accepted, MAC valid");
    expect(r.out).toContain(`<prefix>/rewards/band/${v.envelope.pseudonym}/report`);
    const withKey = cli(["decode", v.hex, "--key", v.deviceKey]);
    expect(withKey.out).toContain("MAC: valid for this device key");
    const forged = cli(["decode", v.hex.slice(0, -2) + "00", "--key", v.deviceKey]);
    expect(forged.code).toBe(1);
    expect(forged.out).toContain("MAC: INVALID");
    const garbage = cli(["decode", "ff00"]);
    expect(garbage.out).toContain("rejected: unknown_type");
  });

  it("decode names the field of a --config it cannot load instead of decoding without it", () => {
    const v = bandVectors.valid[0]!;
    const bad = join(tmp.dir, "bad-decode.yaml");
    writeFileSync(bad, stringify({ pipeline: { replayWindow: 1000 } }));
    const r = cli(["decode", v.hex, "--config", bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("pipeline.replayWindow");
    expect(r.out).not.toContain("no key registry found");
  });

  it("keys derives the vector's device key and adds devices to a registry", () => {
    const v = bandVectors.valid[0]!;
    expect(cli(["keys", "derive", String(v.deviceId), "--registry", registry]).out.trim()).toBe(
      v.deviceKey,
    );
    const add = cli([
      "keys",
      "add",
      "--id",
      "4242",
      "--kind",
      "classroom",
      "--dev-eui",
      "70b3d57ed0004242",
      "--registry",
      registry,
    ]);
    expect(add.code).toBe(0);
    expect(cli(["keys"]).out.trim()).toMatch(/^[0-9a-f]{32}$/);
  });
});

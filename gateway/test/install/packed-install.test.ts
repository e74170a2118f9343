// Production install: protocol and gateway packed with `npm pack`, installed from the tarballs into
// an empty directory with `npm install`, and the installed `leiden-gateway` bin run with plain
// node: `doctor` against a real Mosquitto, then `start` with the sim source until frames arrive.
//
// better-sqlite3's native binary: npm runs its install script (prebuild-install, falling back to
// compiling SQLite, ~5 min here). The test hands prebuild-install the binary this checkout already
// built, through its documented local-prebuilds setting, and pins better-sqlite3 to the
// workspace's version so that binary matches; everything else (tarball contents, dependency
// resolution, bin linking, runtime) is the real install. On a Raspberry Pi prebuild-install
// downloads the linux-arm64 prebuild instead (gateway/deploy/README.md).
import { execFileSync, spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  disposeMosquitto,
  freePort,
  startMosquitto,
  type Mosquitto,
} from "../../../test/support/mosquitto.js";
import { startConsumer, until, type Consumer } from "../support/consumer.js";
import { tempDir, writeRegistry } from "../support/gateway.js";
import { assertBuilt, GATEWAY_DIR, PROTOCOL_DIR, spawnGateway } from "./compiled.js";

const require = createRequire(import.meta.url);

/** The environment of a plain shell: no npm_* variables inherited from `npm test`. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^npm_/i.test(k) && k !== "NODE_OPTIONS" && !k.startsWith("VITEST")) env[k] = v;
  env.PATH = dirname(process.execPath) + delimiter + (process.env.PATH ?? "");
  return { ...env, ...extra };
}

function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  const r = spawnSync("npm", args, { cwd, env, encoding: "utf8", timeout: 240_000 });
  if (r.status !== 0)
    throw new Error(`npm ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function pack(dir: string, dest: string): string {
  const out = JSON.parse(npm(["pack", "--json", "--pack-destination", dest], dir, cleanEnv())) as {
    filename: string;
    files: { path: string }[];
  }[];
  return join(dest, out[0]!.filename);
}

describe("packed install: npm pack + npm install of protocol and gateway, plain node", () => {
  const tmp = tempDir("gw-install-");
  const app = join(tmp.dir, "app");
  const bin = join(app, "node_modules", ".bin", "leiden-gateway");
  let mosq: Mosquitto;
  let consumer: Consumer;
  let config: string;

  beforeAll(async () => {
    assertBuilt();
    mosq = await startMosquitto();
    consumer = await startConsumer(mosq.url, "inst");
    const pkgs = join(tmp.dir, "pkgs");
    mkdirSync(pkgs);
    const protocolTgz = pack(PROTOCOL_DIR, pkgs);
    const gatewayTgz = pack(GATEWAY_DIR, pkgs);
    // better-sqlite3's binary as a local prebuild (see the header)
    const sqlitePkg = require.resolve("better-sqlite3/package.json");
    const sqliteVersion = (JSON.parse(readFileSync(sqlitePkg, "utf8")) as { version: string })
      .version;
    const prebuilds = join(tmp.dir, "prebuilds");
    mkdirSync(prebuilds);
    execFileSync("tar", [
      "czf",
      join(
        prebuilds,
        `better-sqlite3-v${sqliteVersion}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`,
      ),
      "-C",
      dirname(sqlitePkg),
      "build/Release/better_sqlite3.node",
    ]);
    mkdirSync(app);
    writeFileSync(
      join(app, "package.json"),
      JSON.stringify({
        name: "liot-install-test",
        private: true,
        overrides: { "better-sqlite3": sqliteVersion },
      }),
    );
    npm(
      [
        "install",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        "--omit=optional",
        protocolTgz,
        gatewayTgz,
      ],
      app,
      cleanEnv({ npm_config_better_sqlite3_local_prebuilds: prebuilds }),
    );
    config = join(tmp.dir, "gw.yaml");
    writeFileSync(
      config,
      stringify({
        gatewayId: "gw-installed",
        topicPrefix: "inst",
        stateDir: join(tmp.dir, "state"),
        registry: writeRegistry(tmp.dir, 10, 3),
        broker: { mode: "external", url: mosq.url, reconnectMinMs: 200 },
        metrics: { enabled: false },
        sources: { sim: { enabled: true, bands: 10, classrooms: 3, rate: 50 } },
      }),
    );
  }, 300_000);

  afterAll(async () => {
    await consumer?.close();
    if (mosq) await disposeMosquitto(mosq);
    tmp.dispose();
  });

  it("installs compiled JavaScript: the bin is dist/cli/main.js, no TypeScript loader", () => {
    expect(lstatSync(bin).isSymbolicLink()).toBe(true);
    const target = realpathSync(bin);
    expect(target).toBe(
      realpathSync(join(app, "node_modules", "@leiden-iot", "gateway", "dist", "cli", "main.js")),
    );
    expect(readlinkSync(bin)).toMatch(/\.js$/);
    expect(readFileSync(target, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    // the files deploy/README.md copies out of the installed package
    const installed = join(app, "node_modules", "@leiden-iot", "gateway");
    for (const f of [
      "deploy/leiden-gateway.service",
      "deploy/gateway.yaml",
      "deploy/mosquitto/leiden-bridge.conf",
      "deploy/journald-leiden.conf",
      "deploy/README.md",
    ])
      expect(existsSync(join(installed, f)), f).toBe(true);
    expect(existsSync(join(app, "node_modules", "tsx"))).toBe(false);
    expect(existsSync(join(app, "node_modules", "typescript"))).toBe(false);
    // protocol resolves to its built JavaScript for plain node
    const resolved = execFileSync(
      process.execPath,
      ["--input-type=module", "-e", "console.log(import.meta.resolve('@leiden-iot/protocol'))"],
      { cwd: app, env: cleanEnv(), encoding: "utf8" },
    ).trim();
    expect(resolved).toMatch(/\/node_modules\/@leiden-iot\/protocol\/dist\/index\.js$/);
  });

  it("`leiden-gateway doctor` passes against the real broker, and fails when it is gone", () => {
    const ok = spawnSync(bin, ["doctor", "--config", config], {
      cwd: app,
      env: cleanEnv(),
      encoding: "utf8",
    });
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toContain(`ok    broker: 127.0.0.1:${mosq.port} answers`);
    expect(ok.stdout).toMatch(/^ok {4}disk: /m);
    expect(ok.status).toBe(0);
    const badConfig = join(tmp.dir, "bad.yaml");
    writeFileSync(badConfig, readFileSync(config, "utf8").replace(mosq.url, "mqtt://127.0.0.1:1"));
    const bad = spawnSync(bin, ["doctor", "--config", badConfig], {
      cwd: app,
      env: cleanEnv(),
      encoding: "utf8",
    });
    expect(bad.stdout).toContain("FAIL  broker: nothing answers at mqtt://127.0.0.1:1");
    expect(bad.status).toBe(1);
  });

  it(
    "`leiden-gateway start` with the sim source publishes frames into Mosquitto",
    { timeout: 60_000 },
    async () => {
      const gw = spawnGateway(bin, ["start", "--config", config], { cwd: app, env: cleanEnv() });
      try {
        await gw.running;
        await until(
          () => new Set(consumer.received.map((r) => r.mid)).size >= 50,
          30_000,
          "50 distinct frames from the installed gateway",
        );
        expect(consumer.received.some((r) => r.topic.includes("/rewards/band/"))).toBe(true);
        expect(consumer.received.some((r) => r.topic.includes("/sensors/classroom/"))).toBe(true);
        expect(consumer.received[0]!.contentType).toBe("application/senml+cbor");
      } finally {
        expect(await gw.stop()).toBe(0);
      }
      await until(
        () => consumer.status.get("inst/gateways/gw-installed/status") === "offline",
        5_000,
        "the retained offline status after SIGTERM",
      );
      expect(gw.output()).not.toMatch(/tsx|ExperimentalWarning/);
    },
  );

  it(
    "frames accepted while the broker is away survive a stop and arrive after the next start",
    { timeout: 90_000 },
    async () => {
      // the upgrade procedure of deploy/README.md: stop (SIGTERM), new code, start on the same state
      const acceptedLog = join(tmp.dir, "accepted.log");
      const write = (url: string, sim: boolean): string => {
        const path = join(tmp.dir, sim ? "upgrade-offline.yaml" : "upgrade-online.yaml");
        writeFileSync(
          path,
          stringify({
            gatewayId: "gw-upgrade",
            topicPrefix: "inst",
            stateDir: join(tmp.dir, "upgrade-state"),
            registry: join(tmp.dir, "registry.yaml"),
            broker: { mode: "external", url, reconnectMinMs: 200 },
            metrics: { enabled: false },
            sources: { sim: { enabled: sim, bands: 10, classrooms: 3, rate: 100, acceptedLog } },
          }),
        );
        return path;
      };
      const nobody = `mqtt://127.0.0.1:${await freePort()}`;
      const before = spawnGateway(bin, ["start", "--config", write(nobody, true)], {
        cwd: app,
        env: cleanEnv(),
      });
      await before.running;
      const accepted = () =>
        readFileSync(acceptedLog, "utf8")
          .split("\n")
          .filter((l) => l !== "");
      await until(
        () => existsSync(acceptedLog) && accepted().length >= 200,
        30_000,
        "200 accepted",
      );
      expect(await before.stop()).toBe(0);
      const stored = new Set(accepted());
      expect(consumer.received.filter((r) => stored.has(r.mid))).toEqual([]);
      const after = spawnGateway(bin, ["start", "--config", write(mosq.url, false)], {
        cwd: app,
        env: cleanEnv(),
      });
      try {
        await after.running;
        await until(
          () => {
            const got = new Set(consumer.received.map((r) => r.mid));
            return [...stored].every((m) => got.has(m));
          },
          30_000,
          `all ${stored.size} frames accepted before the stop`,
        );
      } finally {
        expect(await after.stop()).toBe(0);
      }
    },
  );
});

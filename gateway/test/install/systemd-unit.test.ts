// gateway/deploy/leiden-gateway.service: the directives a production install relies on are there
// with the right values, the unit runs the package's compiled bin with environment overrides the
// gateway really reads, and systemd itself accepts the unit (`systemd-analyze verify`). Where
// systemd-analyze is absent, every directive is checked against systemd 252's documented names
// for its section instead, so a misspelt (silently ignored) hardening line still fails the test.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/gateway.js";
import { assertBuilt, COMPILED_MAIN, GATEWAY_DIR } from "./compiled.js";

const UNIT = join(GATEWAY_DIR, "deploy", "leiden-gateway.service");
const UNIT_NAME = "leiden-gateway.service";

type Unit = Map<string, Map<string, string[]>>;

/** systemd unit file syntax: [Section], Key=Value (repeatable), # or ; comments, \ continuation. */
function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section: Map<string, string[]> | undefined;
  const lines = text.replace(/\\\n/g, " ").split("\n");
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
    const s = /^\[([A-Za-z]+)\]$/.exec(line);
    if (s) {
      section = new Map();
      unit.set(s[1]!, section);
      return;
    }
    const kv = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(line);
    if (!kv || !section) throw new Error(`line ${i + 1} is not Key=Value in a section: ${raw}`);
    const values = section.get(kv[1]!) ?? [];
    values.push(kv[2]!.trim());
    section.set(kv[1]!, values);
  });
  return unit;
}

const unit = parseUnit(readFileSync(UNIT, "utf8"));
const service = unit.get("Service")!;
const one = (key: string): string => {
  const v = service.get(key);
  if (!v || v.length !== 1)
    throw new Error(`[Service] ${key}= must be set once (got ${v?.length ?? 0})`);
  return v[0]!;
};
const env = (): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const e of service.get("Environment") ?? []) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(e);
    if (!m) throw new Error("Environment=" + e + " is not NAME=value");
    out[m[1]!] = m[2]!;
  }
  return out;
};

describe("systemd unit gateway/deploy/leiden-gateway.service", () => {
  const tmp = tempDir("gw-unit-");
  afterAll(() => tmp.dispose());

  it("has the hardening and restart directives a production gateway needs", () => {
    expect([...unit.keys()]).toEqual(["Unit", "Service", "Install"]);
    expect(one("DynamicUser") === "yes" || service.has("User")).toBe(true);
    expect(one("NoNewPrivileges")).toBe("yes");
    expect(one("ProtectSystem")).toBe("strict");
    expect(one("ProtectHome")).toBe("yes");
    expect(one("PrivateTmp")).toBe("yes");
    expect(one("StateDirectory")).toBe("leiden-gateway");
    expect(one("Restart")).toBe("on-failure");
    expect(Number(one("RestartSec"))).toBeGreaterThan(0);
    // BLE scanning: raw HCI sockets, and no capability beyond the two it needs
    expect(one("AmbientCapabilities").split(/\s+/).sort()).toEqual([
      "CAP_NET_ADMIN",
      "CAP_NET_RAW",
    ]);
    expect(one("CapabilityBoundingSet").split(/\s+/).sort()).toEqual([
      "CAP_NET_ADMIN",
      "CAP_NET_RAW",
    ]);
    expect(one("RestrictAddressFamilies").split(/\s+/)).toContain("AF_BLUETOOTH");
    // V8's JIT needs W+X pages: this directive would crash node at start
    expect(service.get("MemoryDenyWriteExecute") ?? []).not.toContain("yes");
    // SIGTERM is the gateway's clean stop (flush, retained offline); give it time
    expect(one("KillSignal")).toBe("SIGTERM");
    expect(Number(one("TimeoutStopSec"))).toBeGreaterThanOrEqual(10);
    expect(unit.get("Install")!.get("WantedBy")).toEqual(["multi-user.target"]);
  });

  it("runs the package's compiled bin on plain node, with state in its StateDirectory", () => {
    const pkg = JSON.parse(readFileSync(join(GATEWAY_DIR, "package.json"), "utf8")) as {
      bin: Record<string, string>;
    };
    const [node, main, ...args] = one("ExecStart").split(/\s+/);
    expect(node).toBe("/usr/bin/node");
    expect(main).toBe(
      "/opt/leiden-gateway/node_modules/@leiden-iot/gateway/" + pkg.bin["leiden-gateway"],
    );
    expect(args).toEqual(["start", "--config", "/etc/leiden-gateway/gateway.yaml"]);
    expect(env().LIOT_STATE_DIR).toBe("/var/lib/" + one("StateDirectory"));
    // the registry credential the unit loads is the file LIOT_REGISTRY points at
    const [credName] = one("LoadCredential").split(":");
    expect(env().LIOT_REGISTRY).toBe(`%d/${credName}`);
  });

  it("its Environment= lines are overrides the gateway reads (effective config)", () => {
    assertBuilt();
    const vars = env();
    const credentials = `/run/credentials/${UNIT_NAME}`; // what systemd expands %d to
    const r = spawnSync(
      process.execPath,
      [COMPILED_MAIN, "config", "--config", join(GATEWAY_DIR, "deploy", "gateway.yaml")],
      {
        env: {
          PATH: process.env.PATH,
          ...Object.fromEntries(
            Object.entries(vars).map(([k, v]) => [k, v.replace("%d", credentials)]),
          ),
        },
        encoding: "utf8",
      },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`\nstateDir: ${vars.LIOT_STATE_DIR}\n`);
    expect(r.stdout).toContain(`\nregistry: ${credentials}/registry.yaml\n`);
    expect(r.stdout).toContain("\n  mode: external\n");
  });

  it("is accepted by systemd: known directive names, and systemd-analyze verify where installed", () => {
    // systemd ignores an unknown key with a warning: a misspelt hardening line would do nothing
    const known: Record<string, string[]> = {
      Unit: [
        "Description",
        "Documentation",
        "Wants",
        "After",
        "StartLimitIntervalSec",
        "StartLimitBurst",
      ],
      Service: [
        ...["Type", "ExecStart", "WorkingDirectory", "Environment", "LoadCredential"],
        ...["KillSignal", "TimeoutStopSec", "Restart", "RestartSec", "DynamicUser", "User"],
        ...["Group", "StateDirectory", "StateDirectoryMode", "ConfigurationDirectory"],
        ...["ConfigurationDirectoryMode", "UMask", "AmbientCapabilities", "CapabilityBoundingSet"],
        ...["NoNewPrivileges", "RestrictAddressFamilies", "ProtectSystem", "ProtectHome"],
        ...["PrivateTmp", "PrivateDevices", "ProtectKernelTunables", "ProtectKernelModules"],
        ...["ProtectKernelLogs", "ProtectControlGroups", "ProtectClock", "ProtectHostname"],
        ...["ProtectProc", "RestrictNamespaces", "RestrictRealtime", "RestrictSUIDSGID"],
        ...["LockPersonality", "RemoveIPC", "SystemCallArchitectures", "SystemCallFilter"],
        ...["SystemCallErrorNumber", "MemoryMax", "LimitNOFILE"],
      ],
      Install: ["WantedBy"],
    };
    for (const [section, keys] of unit)
      for (const key of keys.keys())
        expect(
          known[section] ?? [],
          `[${section}] ${key}= is not a systemd 252 directive`,
        ).toContain(key);

    const analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].find((p) => existsSync(p));
    if (!analyze) {
      console.warn("systemd-analyze is not installed: checked directive names only");
      return;
    }
    // verify checks that ExecStart's program exists: node is /usr/bin/node on Debian and
    // Raspberry Pi OS (NodeSource packages); elsewhere check the same unit with this node
    const file = join(tmp.dir, UNIT_NAME);
    if (existsSync("/usr/bin/node")) copyFileSync(UNIT, file);
    else
      writeFileSync(
        file,
        readFileSync(UNIT, "utf8").replace(
          "ExecStart=/usr/bin/node",
          "ExecStart=" + process.execPath,
        ),
      );
    const r = spawnSync(analyze, ["verify", file], { encoding: "utf8" });
    const aboutUnit = (r.stdout + r.stderr)
      .split("\n")
      .filter((l) => l.includes(UNIT_NAME) || l.includes(file));
    expect(aboutUnit).toEqual([]);
    expect(r.status).toBe(0);
  });
});

// Strict configuration: unknown keys at any level and unknown LIOT_* variables are errors naming
// the field and the nearest valid one; environment values pass the same schema as the file.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/issues.js";
import { resolveConfig } from "../../src/config/load.js";
import { registryFromData } from "../../src/registry/load.js";

function problem(raw: unknown, env: Record<string, string> = {}): string {
  try {
    resolveConfig(raw, env, "gw.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("the configuration was accepted");
}

describe("strict configuration file", () => {
  it.each([
    [{ brokr: { url: "mqtt://x:1883" } }, 'brokr: unknown key, did you mean "broker"?'],
    [{ metrcs: { port: 9000 } }, 'metrcs: unknown key, did you mean "metrics"?'],
    [{ sources: { blee: {} } }, 'sources.blee: unknown key, did you mean "ble"?'],
    [{ sources: { sim: { bandz: 3 } } }, 'sources.sim.bandz: unknown key, did you mean "bands"?'],
    [{ broker: { tls: { cafile: "x" } } }, "broker.tls.cafile: unknown key"],
    [{ outbox: { maxbytes: 5000 } }, 'outbox.maxbytes: unknown key, did you mean "maxBytes"?'],
  ])("rejects %j naming the field and the nearest key", (raw, line) => {
    const m = problem(raw);
    expect(m).toContain("gw.yaml is not valid:");
    expect(m).toContain(line);
  });

  it("lists the valid keys when nothing is near", () => {
    expect(problem({ log: { zzzzzz: 1 } })).toContain("log.zzzzzz: unknown key; valid here: level");
  });

  it("reports every unknown key, not only the first", () => {
    const m = problem({ brokr: {}, sources: { sim: { bandz: 1 } } });
    expect(m).toContain("brokr:");
    expect(m).toContain("sources.sim.bandz:");
  });

  it("accepts a file with only known keys", () => {
    const c = resolveConfig(
      { broker: { url: "mqtts://b:8883" }, sources: { sim: { bands: 3 } } },
      {},
    );
    expect(c.broker.url).toBe("mqtts://b:8883");
    expect(c.sources.sim?.bands).toBe(3);
  });

  it("broker.url must be mqtt:// or mqtts:// (tcp:// is refused)", () => {
    expect(problem({ broker: { url: "tcp://x:1883" } })).toContain(
      "broker.url: broker.url must start with mqtt:// or mqtts://",
    );
  });
});

describe("strict LIOT_* environment", () => {
  it("an unknown LIOT_* variable is an error with the nearest name", () => {
    const m = problem({}, { LIOT_BROKR_URL: "mqtt://x:1883" });
    expect(m).toContain(
      "LIOT_BROKR_URL: not a setting of the gateway (did you mean LIOT_BROKER_URL?)",
    );
    expect(m).toContain("the gateway reads LIOT_GATEWAY_ID");
  });

  it("variables of Node-RED, provisioning and tests are not the gateway's and pass", () => {
    const c = resolveConfig(
      {},
      { LIOT_NODE_RED_PORT: "1880", LIOT_MASTER_KEY: "00", LIOT_TEST_ANYTHING: "1", PATH: "/bin" },
    );
    expect(c.gatewayId).toBe("gw-local");
  });

  it("LIOT_BROKER_URL=tcp://x is refused by the file's rule, naming the variable", () => {
    const m = problem({}, { LIOT_BROKER_URL: "tcp://x" });
    expect(m).toContain(
      "broker.url (set by LIOT_BROKER_URL): broker.url must start with mqtt:// or mqtts://",
    );
  });

  it("values pass the same schema: strings stay strings, numbers are checked", () => {
    const c = resolveConfig({}, { LIOT_GATEWAY_ID: "0123", LIOT_METRICS_PORT: "9100" });
    expect(c.gatewayId).toBe("0123");
    expect(c.metrics.port).toBe(9100);
    expect(problem({}, { LIOT_METRICS_PORT: "ninety" })).toContain(
      "metrics.port (set by LIOT_METRICS_PORT): Invalid input: expected number",
    );
    expect(problem({}, { LIOT_METRICS_PORT: "70000" })).toContain(
      "metrics.port (set by LIOT_METRICS_PORT)",
    );
    expect(problem({}, { LIOT_BROKER_MODE: "sometimes" })).toMatch(
      /broker\.mode \(set by LIOT_BROKER_MODE\): .*"auto"/,
    );
  });
});

describe("strict key registry", () => {
  it("an unknown key in the registry file names it", () => {
    expect(() =>
      registryFromData({ masterKey: "00".repeat(16), devics: [{ id: 1, kind: "band" }] }, "r.yaml"),
    ).toThrow('devics: unknown key, did you mean "devices"?');
    expect(() =>
      registryFromData(
        { masterKey: "00".repeat(16), devices: [{ id: 1, kind: "band", lora: { devEUI: "x" } }] },
        "r.yaml",
      ),
    ).toThrow(/devices\.0\.lora\.devEUI: unknown key, did you mean "devEui"\?/);
  });
});

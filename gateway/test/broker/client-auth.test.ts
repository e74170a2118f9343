// The broker credentials and TLS files every gateway MQTT client uses (publisher, Kijk mee feed,
// watch): read from the config's paths; a file that cannot be read names its field.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { brokerAuthOptions } from "../../src/broker/client-auth.js";
import { resolveConfig } from "../../src/config/load.js";
import { tempDir } from "../support/gateway.js";

const tmp = tempDir("liot-client-auth-");
afterAll(() => tmp.dispose());

const broker = (b: Record<string, unknown>) => resolveConfig({ broker: b }, {}).broker;

describe("brokerAuthOptions", () => {
  it("gives username, password and the TLS files' bytes", () => {
    const ca = join(tmp.dir, "ca.pem");
    const cert = join(tmp.dir, "client.pem");
    const key = join(tmp.dir, "client.key");
    writeFileSync(ca, "CA");
    writeFileSync(cert, "CERT");
    writeFileSync(key, "KEY");
    const o = brokerAuthOptions(
      broker({
        url: "mqtts://broker.example:8883",
        username: "gw",
        password: "s3cret",
        tls: { ca, cert, key },
      }),
    );
    expect(o.username).toBe("gw");
    expect(o.password).toBe("s3cret");
    expect([o.ca, o.cert, o.key].map((b) => String(b))).toEqual(["CA", "CERT", "KEY"]);
    expect(o.rejectUnauthorized).toBe(true);
  });

  it("gives nothing for a plain broker", () => {
    expect(brokerAuthOptions(broker({ url: "mqtt://127.0.0.1:1883" }))).toEqual({});
  });

  it("a TLS file that cannot be read names its field and the path", () => {
    const missing = join(tmp.dir, "nope.pem");
    expect(() =>
      brokerAuthOptions(broker({ url: "mqtts://b:8883", tls: { ca: missing } })),
    ).toThrow(`broker.tls.ca: cannot read ${missing} (ENOENT)`);
  });
});

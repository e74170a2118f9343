import { describe, expect, it } from "vitest";
import { redactUrl } from "../../src/config/redact-url.js";
import { redact } from "../../src/config/load.js";
import { adviceFor } from "../../src/publisher/connect-error.js";

describe("credentials in URLs", () => {
  it.each([
    ["mqtt://gw:s3cret@broker.school.nl:1883", "mqtt://***@broker.school.nl:1883"],
    [
      "MQTTS://NNSXS.TOKEN@eu1.cloud.thethings.network:8883",
      "MQTTS://***@eu1.cloud.thethings.network:8883",
    ],
    ["mqtt://127.0.0.1:1883", "mqtt://127.0.0.1:1883"],
    ["wss://user@host/mqtt", "wss://***@host/mqtt"],
  ])("redacts %s", (url, want) => {
    expect(redactUrl(url)).toBe(want);
  });
  it("never shows them in `config` output or in connection advice", () => {
    const out = JSON.stringify(
      redact({
        broker: { url: "mqtts://token-only@lns.example:8883" },
        sources: { lnsMqtt: { url: "mqtt://a:b@c" } },
      }),
    );
    expect(out).not.toMatch(/token-only|a:b@/);
    expect(adviceFor("credentials", redactUrl("mqtt://gw:s3cret@h:1883"))).not.toContain("s3cret");
  });
});

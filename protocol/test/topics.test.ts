// Topic and message-id parsers are the exact inverses of their builders, and refuse everything else.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  envelopeTopic,
  gatewayHealthTopic,
  gatewayStatusTopic,
  messageId,
  parseEnvelopeTopic,
  parseGatewayTopic,
  parseMessageId,
  type EnvelopeKind,
} from "../src/index.js";

const segment = fc.stringMatching(/^[a-z0-9_-]{1,12}$/);
const prefix = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join("/"));
const kind = fc.constantFrom<EnvelopeKind>("band_report", "classroom_reading", "classroom_status");
const pseudonym = fc.uuid();

describe("parseEnvelopeTopic", () => {
  it("inverts envelopeTopic for every prefix, kind and pseudonym", () => {
    fc.assert(
      fc.property(prefix, kind, pseudonym, (p, k, u) => {
        expect(parseEnvelopeTopic(envelopeTopic(p, k, u))).toEqual({
          prefix: p,
          kind: k,
          pseudonym: u,
        });
      }),
    );
  });

  it("returns null for gateway topics, foreign topics and malformed envelope topics", () => {
    const u = "0b7a2c1e-4f7d-4a51-9d5e-2f1c3b4a5d6e";
    for (const t of [
      gatewayStatusTopic("leiden/gw", "gw-1"),
      gatewayHealthTopic("leiden/gw", "gw-1"),
      "rewards/band/" + u + "/report", // no prefix
      "leiden/gw/rewards/band//report", // empty pseudonym
      "leiden/gw/rewards/band/" + u + "/reading", // band topics carry reports only
      "leiden/gw/sensors/classroom/" + u + "/report",
      "leiden/gw/sensors/lamp/" + u + "/reading",
      "",
      "/",
    ])
      expect(parseEnvelopeTopic(t), t).toBeNull();
  });
});

describe("parseGatewayTopic", () => {
  const gatewayId = fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/);

  it("inverts gatewayStatusTopic and gatewayHealthTopic for every prefix and gateway id", () => {
    fc.assert(
      fc.property(prefix, gatewayId, (p, g) => {
        expect(parseGatewayTopic(gatewayStatusTopic(p, g))).toEqual({
          prefix: p,
          gatewayId: g,
          kind: "status",
        });
        expect(parseGatewayTopic(gatewayHealthTopic(p, g))).toEqual({
          prefix: p,
          gatewayId: g,
          kind: "health",
        });
      }),
    );
  });

  it("returns null for envelope topics, foreign topics and malformed gateway topics", () => {
    for (const t of [
      envelopeTopic("leiden/gw", "classroom_status", "0b7a2c1e-4f7d-4a51-9d5e-2f1c3b4a5d6e"),
      envelopeTopic("leiden/gw", "band_report", "0b7a2c1e-4f7d-4a51-9d5e-2f1c3b4a5d6e"),
      "gateways/gw-1/status", // no prefix
      "leiden/gw/gateways//status", // empty gateway id
      "leiden/gw/gateways/gw-1/state",
      "leiden/gw/gateway/gw-1/status",
      "leiden/gw/gateways/gw-1/status/x",
      "",
      "/",
    ])
      expect(parseGatewayTopic(t), t).toBeNull();
  });
});

describe("parseMessageId", () => {
  it("inverts messageId for BLE and LoRa ids", () => {
    const counter = fc.integer({ min: 0, max: 0xffffffff });
    const tag = fc.stringMatching(/^[0-9a-f]{8}$/);
    fc.assert(
      fc.property(pseudonym, counter, tag, (u, c, t) => {
        expect(parseMessageId(messageId(u, "ble", c))).toEqual({
          pseudonym: u,
          channel: "ble",
          counter: c,
        });
        expect(parseMessageId(messageId(u, "lora", c, t))).toEqual({
          pseudonym: u,
          channel: "lora",
          sessionTag: t,
          counter: c,
        });
      }),
    );
  });

  it("returns null for ids messageId cannot produce", () => {
    for (const id of [
      "",
      "u/b/",
      "u/b/-1",
      "u/b/1.5",
      "u/b/4294967296",
      "u/b/12345678901",
      "u/x/1",
      "/b/1",
      "u/l/tag",
      "u/l/tag/x",
      "u/b/1/2",
    ])
      expect(parseMessageId(id), id).toBeNull();
  });
});

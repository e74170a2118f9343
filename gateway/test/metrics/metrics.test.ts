import { describe, expect, it } from "vitest";
import { GatewayMetrics } from "../../src/metrics/metrics.js";

describe("gateway metrics", () => {
  it("exports per-device series by pseudonym, capped, with counter gaps accumulated", async () => {
    const m = new GatewayMetrics(2);
    m.device("p-1", "band", { counter: 10, gap: 0, rssi: -70, battery: 2.9 }, 1000);
    m.device("p-1", "band", { counter: 13, gap: 2, rssi: -60 }, 1001);
    m.device("p-2", "classroom", { counter: 1, gap: 0, battery: 80 }, 1002);
    m.device("p-3", "band", { counter: 1, gap: 0 }, 1003); // over the cap
    const text = await m.registry.metrics();
    expect(text).toContain('liot_device_last_seen_seconds{pseudonym="p-1",kind="band"} 1001');
    expect(text).toContain('liot_device_counter{pseudonym="p-1",kind="band"} 13');
    expect(text).toContain('liot_device_counter_gaps_total{pseudonym="p-1",kind="band"} 2');
    expect(text).toContain('liot_device_rssi_dbm{pseudonym="p-1",kind="band"} -60');
    expect(text).toContain('liot_device_battery{pseudonym="p-2",kind="classroom"} 80');
    expect(text).not.toContain("p-3");
    expect(text).toContain("liot_device_labels_dropped_total 1");
    m.device("p-1", "band", { counter: 15, gap: 1 }, 1004);
    expect(await m.registry.metrics()).toContain(
      'liot_device_counter_gaps_total{pseudonym="p-1",kind="band"} 3',
    );
  });
});

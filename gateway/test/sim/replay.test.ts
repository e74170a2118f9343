// Replaying the firmware simulator's NDJSON radio stream through the real pipeline.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import bandVectors from "../../../protocol/vectors/band-advert.json" with { type: "json" };
import loraVectors from "../../../protocol/vectors/lora-uplink.json" with { type: "json" };
import { SimSource } from "../../src/sources/sim/index.js";
import { parseRadioLine } from "../../src/sources/sim/replay.js";
import type { Disposition, RawFrame } from "../../src/sources/source.js";
import { makePipeline } from "../pipeline/support.js";
import { tempDir } from "../support/gateway.js";

describe("sim replay of the firmware radio stream", () => {
  it("parses BLE and LoRa lines and says what is wrong with bad ones", () => {
    const v = bandVectors.valid[0]!;
    const ble = parseRadioLine(
      JSON.stringify({
        t: 1795425000.125,
        channel: "ble",
        device: "band-257",
        address: v.address,
        data: v.hex,
        rssi: -60,
      }),
    );
    expect(ble).toMatchObject({
      source: "sim",
      channel: "ble",
      receivedAt: 1795425000.125,
      rssi: -60,
      ble: { address: v.address },
    });
    const lora = parseRadioLine(
      JSON.stringify({
        t: 1,
        channel: "lora",
        devEui: "70B3D57ED0000500",
        devAddr: "260B1234",
        fCnt: 7,
        fPort: 1,
        payload: loraVectors.valid[0]!.hex,
        dataRate: "SF7BW125",
      }),
    );
    expect(lora).toMatchObject({
      channel: "lora",
      lora: {
        devEui: "70b3d57ed0000500",
        devAddr: "260b1234",
        fCnt: 7,
        fPort: 1,
        dataRate: "SF7BW125",
      },
    });
    expect(parseRadioLine("{")).toBe("not JSON");
    expect(parseRadioLine(JSON.stringify({ t: 1, channel: "ble", data: "abc" }))).toBe(
      "ble data is not whole bytes",
    );
    expect(parseRadioLine(JSON.stringify({ t: 1, channel: "wifi" }))).toMatch(/channel must be/);
    expect(
      parseRadioLine(
        JSON.stringify({
          t: 1,
          channel: "lora",
          devEui: "70b3d57ed0000500",
          devAddr: "260b1234",
          fCnt: -1,
          fPort: 1,
          payload: "",
        }),
      ),
    ).toMatch(/fCnt/);
  });

  it("replays a log in order through the pipeline: repeats are duplicates, bad lines skipped", async () => {
    const tmp = tempDir("gw-replay-");
    const v = bandVectors.valid[0]!;
    const t = v.envelope.meta.receivedAt;
    const lines = [
      { t, channel: "ble", device: "band-257", address: v.address, data: v.hex, rssi: -60 },
      { t: t + 1, channel: "ble", device: "band-257", address: v.address, data: v.hex, rssi: -61 },
      "garbage",
      {
        t: t + 2,
        channel: "lora",
        device: "classroom-500",
        devEui: "70b3d57ed0000500",
        devAddr: "260b1234",
        fCnt: 3,
        fPort: 1,
        payload: loraVectors.valid[0]!.hex,
      },
    ];
    const file = join(tmp.dir, "radio.ndjson");
    writeFileSync(
      file,
      lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n",
    );
    const { pipeline } = makePipeline();
    const seen: Disposition[] = [];
    const src = new SimSource(
      {
        enabled: true,
        bands: 0,
        classrooms: 0,
        rate: 1,
        firstBandId: 1,
        firstClassroomId: 1,
        repeats: 1,
        replay: file,
      },
      new Uint8Array(16),
    );
    await src.start(async (f: RawFrame) => {
      const out = pipeline.process(f);
      const d: Disposition =
        out.status === "accepted"
          ? { status: "accepted", messageId: out.messageId }
          : out.status === "duplicate"
            ? out
            : { status: "rejected", reason: out.reason, detail: out.detail };
      seen.push(d);
      return d;
    });
    await src.replayDone;
    expect(seen.map((d) => d.status)).toEqual(["accepted", "duplicate", "accepted"]);
    expect(src.skipped).toEqual([{ line: 3, problem: "not JSON" }]);
    expect(src.health().framesIn).toBe(3);
    tmp.dispose();
  });
});

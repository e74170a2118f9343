// A forged advert near the gateway (the band's current ephemeral id and next counter, a higher
// step count, but a MAC made with the wrong key) is rejected: nothing with its content is
// published, the gateway counts a bad_mac rejection, and the genuine band is still published.
import { cmacKey, encodeBandAdvert, nodeAes128, type BandAdvert } from "@leiden-iot/protocol";
import { randomBytes } from "node:crypto";
import type { HilContext } from "../rig/context.js";
import { pollUntil } from "../rig/poll.js";
import { allOf } from "../scenario/tolerance.js";
import type { Measurement, Scenario } from "../scenario/types.js";
import { bandAdverts, BAND_READ_SETTLE_MS, nextAdvert } from "./watch.js";

const FORGE_MS = 10_000;
const FORGED_EXTRA_STEPS = 5000;

/** The forged frame: the genuine one with more steps and a MAC under a random key. */
export function forgeBandAdvert(genuine: BandAdvert, data: Uint8Array): Uint8Array {
  const wrongKey = cmacKey(nodeAes128, randomBytes(16));
  return encodeBandAdvert(
    {
      eid: genuine.eid,
      counter: genuine.counter + 1,
      day: genuine.day,
      steps: Math.min(200000, genuine.steps + FORGED_EXTRA_STEPS),
      backlog: null,
      batteryMv: genuine.batteryMv,
      flags: genuine.flags,
    },
    data.subarray(1, 5),
    wrongKey,
  );
}

export const bandForgedAdvert: Scenario = {
  name: "band-forged-advert",
  title: "a forged advert near the gateway is rejected; the genuine band is still published",
  device: "band",
  tolerance: { text: "0 forged publishes; bad_mac rejections +≥1; genuine report published" },
  timeoutMs: 30 * 60_000,
  async run(ctx: HilContext): Promise<Measurement> {
    const genuine = await nextAdvert(ctx, bandAdverts, ctx.clock.now(), 60_000);
    const forged = forgeBandAdvert(genuine.advert, genuine.data);
    const forgedSteps = Math.min(200000, genuine.advert.steps + FORGED_EXTRA_STEPS);
    const before = await ctx.gateway.rejections();
    const tForge = ctx.clock.now();
    await ctx.bench.forge(forged, FORGE_MS);
    // The band walks on, so it sends a new genuine frame the gateway must still accept.
    await ctx.bench.shake(60);
    const genuineAfter = await pollUntil(ctx.clock, BAND_READ_SETTLE_MS, 1000, () =>
      ctx.gateway
        .messages()
        .find(
          (m) =>
            m.at >= tForge && m.band?.days.some((d) => !d.final && d.steps > genuine.advert.steps),
        ),
    );
    const after = await ctx.gateway.rejections();
    const forgedPublished = ctx.gateway
      .messages()
      .filter((m) => m.band?.days.some((d) => d.steps === forgedSteps)).length;
    const badMac = before && after ? (after.bad_mac ?? 0) - (before.bad_mac ?? 0) : null;
    return allOf(
      `${forgedPublished} forged published; bad_mac +${badMac ?? "n/a"}`,
      [
        {
          ok: forgedPublished === 0,
          say: `${forgedPublished} reports with the forged ${forgedSteps} steps`,
        },
        {
          ok: badMac !== null && badMac >= 1,
          say:
            badMac === null
              ? "the gateway's rejection counters are not readable: set gateway.metricsUrl"
              : `gateway counted ${badMac} bad_mac rejection(s)`,
        },
        {
          ok: genuineAfter !== null,
          say: genuineAfter
            ? "the genuine band was published after the forgery"
            : "no genuine report after the forgery (gateway down or band silent)",
        },
      ],
      { forgedPublished: forgedPublished, badMacRejections: badMac ?? "n/a" },
    );
  },
};

// A flat battery (the supply switched to the low rail) sets the low-battery flag with the low
// voltage; a full supply clears it again. The flag must not be set at the full supply.
import type { HilContext } from "../rig/context.js";
import { pollUntil } from "../rig/poll.js";
import { allOf } from "../scenario/tolerance.js";
import type { Measurement, Scenario } from "../scenario/types.js";
import { bandAdverts, nextAdvert, newestBand } from "./watch.js";

/** The band's threshold per board (firmware HAL constants): CR2032 2500 mV, LiPo 3550 mV. */
const LOW_MV_OF = { puckjs2: 2500, banglejs2: 3550 } as const;
/**
 * The band rebuilds its frames (and so its flags) at least once per 15-minute ephemeral-id epoch;
 * one epoch plus a minute is the longest a flag may lag the supply.
 */
const FLAG_WITHIN_MS = 16 * 60_000;
const SETTLE_MS = 2 * 60_000;

export const bandLowBattery: Scenario = {
  name: "band-low-battery",
  title: "a low supply sets the low-battery flag; a full one clears it",
  device: "band",
  tolerance: {
    text: `flag clear at full supply; set within 16 min of a supply below the board's threshold (Puck 2500, Bangle 3550 mV); clear within 16 min of full supply`,
  },
  timeoutMs: 50 * 60_000,
  async run(ctx: HilContext): Promise<Measurement> {
    await nextAdvert(ctx, bandAdverts, ctx.clock.now(), 60_000);
    // Let the band settle past its start-up frames, so the flag's latency is its own.
    await ctx.clock.wait(SETTLE_MS);
    const full = newestBand(ctx)!;
    ctx.bench.lowSupply(true);
    const tLow = ctx.clock.now();
    const low = await pollUntil(ctx.clock, FLAG_WITHIN_MS, 1000, () =>
      bandAdverts(ctx, tLow).find((h) => h.advert.flags.lowBattery),
    );
    const lowAfterMs = low ? low.at - tLow : null;
    ctx.bench.lowSupply(false);
    const tFull = ctx.clock.now();
    const cleared = await pollUntil(ctx.clock, FLAG_WITHIN_MS, 1000, () => {
      const n = newestBand(ctx, tFull);
      return n && !n.advert.flags.lowBattery && n.advert.counter > (low?.advert.counter ?? 0)
        ? n
        : undefined;
    });
    // Only what the gateway published since the supply dropped: a lowBattery report from before
    // (a band that started flat, a stale retained message) says nothing about this drop.
    const publishedLow = ctx.gateway
      .messages()
      .find((m) => m.at >= tLow && m.band?.flags.lowBattery === true);
    const published = publishedLow !== undefined;
    return allOf(
      `flag after ${lowAfterMs === null ? "never" : `${(lowAfterMs / 1000).toFixed(0)} s`} at ${low?.advert.batteryMv ?? "?"} mV`,
      [
        {
          ok: !full.advert.flags.lowBattery,
          say: `full supply ${full.advert.batteryMv ?? "?"} mV: flag ${full.advert.flags.lowBattery ? "set (wrong)" : "clear"}`,
        },
        {
          ok:
            low !== null &&
            low.advert.batteryMv !== null &&
            low.advert.batteryMv < LOW_MV_OF[ctx.device.board],
          say: low
            ? `low supply: flag set at ${low.advert.batteryMv ?? "unknown"} mV`
            : `low supply: flag not set within ${FLAG_WITHIN_MS / 60_000} min`,
        },
        {
          ok: cleared !== null,
          say: `full supply again: flag ${cleared ? "cleared" : "still set"}`,
        },
        {
          ok: published,
          say: `gateway ${published ? "published" : "did not publish"} lowBattery after the supply dropped`,
        },
      ],
      {
        clearSeconds: cleared ? (cleared.at - tFull) / 1000 : "never",
        lowBatteryMv: low?.advert.batteryMv ?? "none",
        fullBatteryMv: full.advert.batteryMv ?? "unknown",
        flagSeconds: lowAfterMs === null ? "never" : lowAfterMs / 1000,
        publishedSeconds: publishedLow ? (publishedLow.at - tLow) / 1000 : "never",
      },
    );
  },
};

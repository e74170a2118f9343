// Moving the band's clock to just before a local midnight, for the scenarios that cross one.
import { localDay, localDayStart } from "@leiden-iot/protocol";
import type { HilContext } from "../rig/context.js";

/** Sets the device clock to `minutes` before its next local (Europe/Amsterdam) midnight. */
export async function clockBeforeMidnight(ctx: HilContext, minutes: number): Promise<number> {
  const today = localDay(Math.floor(ctx.device.deviceNow() / 1000));
  const midnight = localDayStart(today + 1);
  await ctx.device.setClock(midnight - minutes * 60);
  return midnight * 1000;
}

/** Waits until the device clock has passed `deviceMs`. */
export async function waitForDeviceTime(ctx: HilContext, deviceMs: number): Promise<void> {
  const left = deviceMs - ctx.device.deviceNow();
  if (left > 0) await ctx.clock.wait(left);
}

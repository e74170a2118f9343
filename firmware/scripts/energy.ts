// npm run energy: average current per state and battery life for each band board, from the
// firmware's duty cycle (BAND_TIMING) and the currents in ../shared/ESPRUINO.md.
import { defineCommand, parseOrExit } from "@leiden-iot/protocol/cli";
import { bandEnergy, CURRENTS, TYPICAL } from "../src/energy/band-energy.js";

parseOrExit(
  defineCommand({
    command: "npm run energy --",
    summary:
      "Prints the band's average current per state and its battery life on each board, from the\n" +
      "firmware's duty cycle (BAND_TIMING) and the currents in ../shared/ESPRUINO.md. Offline.",
    options: {},
    examples: ["npm run energy"],
  }),
  process.argv.slice(2),
);

for (const board of ["puckjs2", "banglejs2"] as const) {
  const e = bandEnergy(board, TYPICAL);
  console.log("\nband on " + board + " (" + e.batteryMah + " mAh)");
  for (const s of e.states)
    console.log(
      "  " + s.state.padEnd(22) + s.averageUa.toFixed(2).padStart(8) + " uA   " + s.detail,
    );
  console.log("  " + "total".padEnd(22) + e.totalUa.toFixed(2).padStart(8) + " uA");
  console.log(
    "  battery life: " +
      e.lifeDays.toFixed(0) +
      " days = " +
      e.lifeMonths.toFixed(1) +
      " months" +
      (board === "puckjs2"
        ? e.lifeMonths >= 12
          ? "  (goal >= 12 months: met)"
          : "  (goal >= 12 months: NOT met)"
        : ""),
  );
}
console.log(
  "\nMeasured (npm run bench:aes): Bangle.js 2 software AES " +
    CURRENTS.BANGLE_AES_BLOCK_MS +
    " ms/block, " +
    CURRENTS.BANGLE_FRAME_MS +
    " ms per signed advert on the 64 MHz nRF52840 (1 interpreter instruction ~ 1 cycle).\n" +
    "Assumptions (not in ESPRUINO.md): Puck.js frame signing (hardware AES) " +
    CURRENTS.FRAME_MS +
    " ms, address change (radio restart) " +
    CURRENTS.ADDRESS_RESTART_MS +
    " ms, tick " +
    CURRENTS.TICK_MS +
    " ms, scan " +
    CURRENTS.SCAN_MA +
    " mA, flash write " +
    CURRENTS.FLASH_WRITE_MS +
    " ms; walking " +
    TYPICAL.walkingMinutesPerDay +
    " min/day. Measure on hardware with a PPK2 to confirm.",
);

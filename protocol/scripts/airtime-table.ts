// Prints the LoRa airtime of each classroom uplink at SF7..SF12 (EU868, 125 kHz, CR 4/5) and how
// many uplinks a day fit in The Things Network's 30 s fair-use budget.
import {
  BATCH_HEADER_BYTES,
  DEVICE_STATUS_BYTES,
  EU868_MAX_PAYLOAD,
  READING_BYTES,
  loraAirtimeMs,
} from "../src/index.js";

const rows: [string, number][] = [
  ["fPort 1 reading", READING_BYTES],
  ["fPort 2 batch of 1", BATCH_HEADER_BYTES],
  ["fPort 2 batch of 5 (typical 3 B/reading)", BATCH_HEADER_BYTES + 4 * 3],
  ["fPort 2 batch of 10", BATCH_HEADER_BYTES + 9 * 3],
  ["fPort 2 batch of 13 (max at SF10-12, 51 B)", BATCH_HEADER_BYTES + 12 * 3],
  ["fPort 2 batch of 30", BATCH_HEADER_BYTES + 29 * 3],
  ["fPort 3 device status", DEVICE_STATUS_BYTES],
];
const sfs = [7, 8, 9, 10, 11, 12];
console.log("| uplink | bytes | " + sfs.map((s) => `SF${s}`).join(" | ") + " |");
console.log("|---|---:|" + sfs.map(() => "---:").join("|") + "|");
for (const [name, bytes] of rows) {
  const cells = sfs.map((sf) =>
    bytes > EU868_MAX_PAYLOAD[12 - sf]! ? "too big" : loraAirtimeMs(bytes, sf).toFixed(1) + " ms",
  );
  console.log(`| ${name} | ${bytes} | ${cells.join(" | ")} |`);
}
console.log(
  "\nUplinks per day within 30 s of airtime (batch of 10, 40 B): " +
    sfs.map((sf) => `SF${sf} ${Math.floor(30000 / loraAirtimeMs(40, sf))}`).join(", "),
);

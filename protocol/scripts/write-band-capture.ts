// Writes protocol/vectors' valid band adverts as a BLE capture (as nRF Sniffer for Bluetooth LE
// writes it) and prints the Wireshark -o options that unlock them: the capture behind the
// screenshot in protocol/docs (scripts/wireshark-screenshot.sh).
// Usage: node --conditions=source --import tsx scripts/write-band-capture.ts <out.pcap>
import { writeFileSync } from "node:fs";
import { bleCases, blePcap, vectorKeys } from "./wireshark-cases.js";

const out = process.argv[2];
if (out === undefined) {
  console.error("usage: write-band-capture.ts <out.pcap>");
  process.exit(2);
}
const cases = bleCases().filter((c) => !c.tampered && c.decoded?.kind === "band");
writeFileSync(out, blePcap(cases));
for (const o of [
  "liot.master_key:" + vectorKeys.masterKey,
  "liot.pseudonym_scope:" + vectorKeys.pseudonymScope,
  "liot.device_ids:" + vectorKeys.deviceIds,
])
  console.log(o);

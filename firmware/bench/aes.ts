// `npm run bench:aes` (firmware): what signing costs on a Bangle.js 2, whose firmware has no
// crypto.AES, so the band runs protocol's software AES-128 (softAes128) in JS. Measured on the real
// interpreter built like a Bangle.js 2 (espruino-banglejs2): one AES block, one signed band advert
// (encodeBandAdvert: AES-CMAC = 2 blocks + the frame's JS) and one epoch identity (EID + address:
// 1 block), each as host wall time and, with valgrind, as instructions counted by callgrind (loop
// minus the same loop calling an empty function) converted to nRF52840 time at 64 MHz (the same
// assumption as the step counter bench: one interpreter instruction ~ one Cortex-M4 cycle).
// The energy model's Bangle.js 2 signing figures (src/energy/band-energy.ts) come from this.
import { fileURLToPath } from "node:url";
import { defineCommand, parseOrExit } from "@leiden-iot/protocol/cli";
import { buildBundle } from "../src/build/build-bundle.js";
import { CURRENTS } from "../src/energy/band-energy.js";
import { hasValgrind, markedLine, QUICK_OPTION, runEspruino } from "./espruino.js";
import { deviceMs } from "./step-counter-bench.js";

const ENTRY = fileURLToPath(new URL("./aes-entry.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MARKER = "BENCH ";
const { values } = parseOrExit(
  defineCommand({
    command: "npm run -w firmware bench:aes --",
    summary:
      "What signing costs on a Bangle.js 2 (software AES-128 on its real interpreter): one AES\n" +
      "block, one signed band advert, one epoch identity; host wall time and, with valgrind,\n" +
      "instructions converted to nRF52840 time at 64 MHz.",
    options: { quick: QUICK_OPTION },
    examples: ["npm run -w firmware bench:aes", "npm run -w firmware bench:aes -- --quick"],
  }),
  process.argv.slice(2),
);
const quick = values.quick;
const counted = !quick && hasValgrind();
const say = (s: string): void => void process.stdout.write(s + "\n");

type Mode = "empty" | "block" | "advert" | "identity";
/** Calls per run; each operation's run is compared with the empty loop of the same length. */
const N: Record<Exclude<Mode, "empty">, number> = { block: 40, advert: 20, identity: 20 };

function script(bundle: string, mode: Mode, n: number): string {
  const call: Record<Mode, string> = {
    empty: "B[0]=i&255;return B;",
    block: "B[0]=i&255;return LIOT_AES(K,B);",
    advert: "r.counter=i+1;return LIOT_ENCODE(r,E,mk);",
    identity: "return LIOT_IDENTITY(LIOT_AES,K,1994917+i);",
  };
  return (
    bundle +
    "\nvar K=new Uint8Array(16),B=new Uint8Array(16),E=new Uint8Array(4),i=0,t0=0.5,t1=0.5;\n" +
    "for(i=0;i<16;i++)K[i]=i;\n" +
    "var mk=LIOT_CMAC_KEY(LIOT_AES,K);\n" +
    'var r={eid:"00000000",counter:1,day:2518,steps:2345,backlog:{daysAgo:1,steps:9120},' +
    "batteryMv:3010,flags:{goalReached:false,lowBattery:false,clockNotSet:false," +
    "storageFault:false,sensorFault:false}};\n" +
    "var f=function(i){" +
    call[mode] +
    "};\n" +
    "t0=getTime();for(i=0;i<" +
    n +
    ";i++)f(i);t1=getTime();\n" +
    'print("' +
    MARKER +
    '"+JSON.stringify({n:' +
    n +
    ",ms:(t1-t0)*1000}));quit();\n"
  );
}

async function measure(bundle: string, mode: Mode, n: number, callgrind: boolean) {
  const r = await runEspruino("banglejs2", script(bundle, mode, n), {
    callgrind: callgrind,
    timeoutMs: 600_000,
  });
  const line = markedLine(r.stdout, MARKER);
  if (line === null) throw new Error(`bench ${mode}: no ${MARKER.trim()} line:\n${r.stdout}`);
  return { ms: (JSON.parse(line) as { ms: number }).ms, ir: r.instructions ?? 0 };
}

const built = await buildBundle({ entry: ENTRY, root: ROOT });
if (!built.ok)
  throw new Error(
    "the AES bench bundle fails the Espruino checks: " +
      built.findings.map((f) => f.file + ":" + f.line + " " + f.message).join("; "),
  );
say(`software AES bundle: ${built.bytes} bytes (minified, Espruino-checked)`);
say(
  counted
    ? "instructions counted with valgrind --tool=callgrind"
    : quick
      ? "--quick: wall time only"
      : "valgrind not installed: wall time only (apt-get install valgrind for instruction counts)",
);

say("\nEspruino 2v29 Bangle.js 2 build (12000 variables), protocol's softAes128");
say(
  "operation".padEnd(44) +
    "host ms".padStart(9) +
    "instr".padStart(12) +
    "nRF52840 ms".padStart(13) +
    "   model (band-energy.ts)",
);
const model: Record<Exclude<Mode, "empty">, string> = {
  block: CURRENTS.BANGLE_AES_BLOCK_MS + " ms",
  advert: CURRENTS.BANGLE_FRAME_MS + " ms",
  identity: CURRENTS.BANGLE_IDENTITY_MS + " ms",
};
const what: Record<Exclude<Mode, "empty">, string> = {
  block: "one AES-128 block",
  advert: "one signed band advert (CMAC: 2 blocks)",
  identity: "one epoch identity (EID + address: 1 block)",
};
for (const mode of ["block", "advert", "identity"] as const) {
  const n = N[mode];
  const host = await measure(built.code, mode, n, false);
  const empty = await measure(built.code, "empty", n, false);
  const hostMs = (host.ms - empty.ms) / n;
  let ir: number | null = null;
  if (counted) {
    process.stderr.write(`bench: callgrind ${mode}...\n`);
    const c = await measure(built.code, mode, n, true);
    const e = await measure(built.code, "empty", n, true);
    ir = (c.ir - e.ir) / n;
  }
  say(
    what[mode].padEnd(44) +
      hostMs.toFixed(2).padStart(9) +
      (ir === null ? "-" : Math.round(ir).toString()).padStart(12) +
      (ir === null ? "-" : deviceMs(ir).toFixed(1)).padStart(13) +
      "   " +
      model[mode],
  );
}

// The step counter's cost on the real Espruino interpreter: the script that feeds it samples
// there, and the arithmetic from instructions to device time and battery. Node-side.
import { buildBundle } from "../src/build/build-bundle.js";
import { CURRENTS } from "../src/energy/band-energy.js";
import type { Recording } from "../src/steps/recording.js";
import { fileURLToPath } from "node:url";

export const ENTRY = fileURLToPath(new URL("./step-counter-entry.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The counter as the firmware build would ship it: bundled, Espruino-checked, minified. */
export async function counterBundle(): Promise<string> {
  const r = await buildBundle({ entry: ENTRY, root: ROOT });
  if (!r.ok) {
    throw new Error(
      "the step counter bundle fails the Espruino checks: " +
        r.findings.map((f) => f.file + ":" + f.line + " " + f.message).join("; "),
    );
  }
  return r.code;
}

/** Samples `from`..`from + n` of a recording, interleaved x, y, z as little-endian int16. */
export function int16Samples(rec: Recording, from: number, n: number): Buffer {
  if (from < 0 || from + n > rec.length) {
    throw new Error(`samples ${from}..${from + n} are outside the recording (${rec.length})`);
  }
  const b = Buffer.alloc(6 * n);
  for (let i = 0; i < n; i++) {
    b.writeInt16LE(rec.x[from + i]!, 6 * i);
    b.writeInt16LE(rec.y[from + i]!, 6 * i + 2);
    b.writeInt16LE(rec.z[from + i]!, 6 * i + 4);
  }
  return b;
}

/** What one bench script reports (after the BENCH marker). */
export interface BenchLine {
  /** Samples fed. */
  n: number;
  /** Steps counted after the samples were fed once (0 in feed mode). */
  count: number;
  /** Variables the counter holds once running (usage before new and after all samples). */
  vars: number;
  /** Variables gained while the same samples are fed a second time: a few at most (a field
   *  that first holds a float), hundreds if anything were retained per sample. */
  grew: number;
  /** Wall time of the feeding loop on this host, ms. */
  ms: number;
  /** Free variables after the run. */
  free: number;
}

export const MARKER = "BENCH ";

/**
 * The script run on the interpreter: the counter bundle, the samples (base64: the Puck build has
 * 2630 variables, a numeric literal of 1500 samples would not fit beside the code), and a loop
 * that pushes every sample into a StepCounter ("counter") or into an empty push ("feed": the cost
 * of the loop and the call alone, subtracted from the counter's).
 */
export function benchScript(bundle: string, samples: Buffer, mode: "counter" | "feed"): string {
  return (
    bundle +
    "\n" +
    'var d=new Int16Array(E.toArrayBuffer(atob("' +
    samples.toString("base64") +
    '")));var n=d.length/3;\n' +
    "var i=0,k=0,t0=0.5,t1=0.5,m1=0,m2=0,ca=0,c=null;\n" +
    "var m0=process.memory().usage;\n" +
    (mode === "counter"
      ? "c=new StepCounter();\n"
      : "c={count:0,push:function(x,y,z){return 0;}};\n") +
    "t0=getTime();\n" +
    "for(i=0;i<n;i++){c.push(d[3*i],d[3*i+1],d[3*i+2]);}\n" +
    "t1=getTime();ca=c.count;m1=process.memory().usage;\n" +
    "for(k=0;k<n;k++){c.push(d[3*k],d[3*k+1],d[3*k+2]);}\n" +
    "m2=process.memory().usage;\n" +
    'print("' +
    MARKER +
    '"+JSON.stringify({n:n,count:ca,vars:m1-m0,grew:m2-m1,ms:(t1-t0)*1000,free:process.memory().free}));\n' +
    "quit();\n"
  );
}

export function parseBenchLine(text: string | null): BenchLine {
  if (text === null) throw new Error("the bench script printed no " + MARKER.trim() + " line");
  const v = JSON.parse(text) as BenchLine;
  for (const k of ["n", "count", "vars", "grew", "ms", "free"] as const) {
    if (typeof v[k] !== "number") throw new Error(`bench line has no number "${k}": ${text}`);
  }
  return v;
}

/** nRF52832 (Puck.js v2): Cortex-M4F at 64 MHz. */
export const NRF52_HZ = 64e6;
/**
 * Assumption: one i386 instruction of the interpreter ~ one Cortex-M4 cycle. The interpreter's
 * work is pointer chasing through variable blocks, which both ISAs do in similar instruction
 * counts; the M4 runs ~1 instruction per cycle from cached flash. Doubles are emulated in
 * software on the M4 (its FPU is single precision), so float-heavy code is underestimated.
 */
export const CYCLES_PER_INSTRUCTION = 1;
/** ESPRUINO.md: Puck.accelOn(12.5) with a JS event per sample draws 350 uA (IMU + wake-ups). */
export const ACCEL_STREAM_UA = 350;

export interface Energy {
  /** Average current of the software counter path: accelerometer stream + counter CPU. */
  softwareUa: number;
  /** Of which the counter's own CPU time. */
  counterCpuUa: number;
  /** The IMU pedometer path it would replace (ESPRUINO.md / band-energy.ts). */
  hardwareUa: number;
}

/**
 * Average current of running the counter at `rateHz` for a day with `walkingMinutes` of walking,
 * from the device time per sample while walking and at rest.
 */
export function counterEnergy(
  walkMsPerSample: number,
  restMsPerSample: number,
  walkingMinutes: number,
  rateHz: number,
): Energy {
  const walkShare = walkingMinutes / (24 * 60);
  const msPerSecond = rateHz * (walkShare * walkMsPerSample + (1 - walkShare) * restMsPerSample);
  const cpuUa = (msPerSecond / 1000) * CURRENTS.CPU_MA * 1000;
  return {
    softwareUa: ACCEL_STREAM_UA + cpuUa,
    counterCpuUa: cpuUa,
    hardwareUa: CURRENTS.IMU_UA,
  };
}

/** Device ms per sample from interpreter instructions per sample. */
export function deviceMs(instructionsPerSample: number): number {
  return ((instructionsPerSample * CYCLES_PER_INSTRUCTION) / NRF52_HZ) * 1000;
}

// Parses what a run on the interpreter printed: the stand-ins' "LIOT ..." report lines (memory
// samples, adverts, addresses, scans) and everything else, in which the interpreter's own errors
// appear ("Uncaught ...", "Not enough memory ...", "OUT OF MEMORY", "Execution Interrupted").

export interface MemorySample {
  /** World time, unix s. */
  t: number;
  /** Variables in use after a garbage collection (idle use). */
  used: number;
  /** Highest use (no collection) seen since the previous sample. */
  peak: number;
}

export interface CapturedPacket {
  t: number;
  /** Position in the rotation handed to NRF.setAdvertising. */
  index: number;
  bytes: Uint8Array;
  connectable: boolean;
}

export interface RunReport {
  /** Memory right after boot (after a collection), and the stand-ins' own share of it. */
  boot: { t: number; used: number; standIns: number; peak: number } | null;
  samples: MemorySample[];
  /** Highest use after a collection over the run, highest use without one, and where. */
  steady: number;
  peak: number;
  peakAt: string;
  end: number | null;
  packets: CapturedPacket[];
  /** NRF.setAdvertising calls: time, packet count, interval, connectable. */
  advertising: { t: number; count: number; intervalMs: number; connectable: boolean }[];
  addresses: { t: number; address: string }[];
  scans: { t: number; delivered: number }[];
  clockSets: { t: number; to: number }[];
  /** The interpreter's error and warning lines. */
  errors: string[];
  /** Lines that are neither report lines nor prompts. */
  console: string[];
  reloaded: boolean;
}

const ERROR_MARKS = [
  "Uncaught",
  "Not enough memory",
  "OUT OF MEMORY",
  "Execution Interrupted",
  "ERROR",
  "WARNING",
  "Error",
];

export function parseReport(lines: string[]): RunReport {
  const r: RunReport = {
    boot: null,
    samples: [],
    steady: 0,
    peak: 0,
    peakAt: "",
    end: null,
    packets: [],
    advertising: [],
    addresses: [],
    scans: [],
    clockSets: [],
    errors: [],
    console: [],
    reloaded: false,
  };
  for (const raw of lines) {
    // The REPL prompt (">") may precede output on the same line.
    const line = raw.replace(/^>+/, "");
    const at = line.indexOf("LIOT ");
    if (at < 0) {
      if (line.trim() === "") continue;
      r.console.push(line);
      if (ERROR_MARKS.some((m) => line.includes(m))) r.errors.push(line);
      continue;
    }
    const f = line.slice(at + 5).split(" ");
    const n = (i: number): number => Number(f[i]);
    switch (f[0]) {
      case "BOOT":
        r.boot = { t: n(1), used: n(2), standIns: n(3), peak: n(4) };
        break;
      case "S":
        r.samples.push({ t: n(1), used: n(2), peak: n(3) });
        break;
      case "END":
        r.end = n(1);
        r.steady = n(2);
        r.peak = n(3);
        r.peakAt = f.slice(4).join(" ");
        break;
      case "A":
      case "N":
        r.packets.push({
          t: n(1),
          index: n(2),
          bytes: new Uint8Array(Buffer.from(f[3] ?? "", "base64")),
          connectable: f[0] === "N",
        });
        break;
      case "ADV":
        r.advertising.push({ t: n(1), count: n(2), intervalMs: n(3), connectable: f[4] === "1" });
        break;
      case "R":
        r.addresses.push({ t: n(1), address: f.slice(2).join(" ") });
        break;
      case "SCAN":
        r.scans.push({ t: n(1), delivered: n(2) });
        break;
      case "T":
        r.clockSets.push({ t: n(1), to: n(2) });
        break;
      case "LOAD":
        r.reloaded = true;
        break;
      default:
        r.console.push(line);
    }
  }
  return r;
}

// The `sim` source: a fleet of simulated bands and classroom nodes (fleet.ts) emitting real signed
// adverts at a fixed total rate, each optionally heard `repeats` times (radio repeats, dedup).
import { appendFileSync } from "node:fs";
import type { SimConfig } from "../../config/schema.js";
import type { SourceDeps } from "../plugins.js";
import type { Emit, Source, SourceHealth } from "../source.js";
import { SimFleet, type SimFrame } from "./fleet.js";
import { readRadioLog } from "./replay.js";

/** Counters start from the wall clock (1 per 20 ms since 2026) so a restarted fleet never reuses one. */
export function clockCounterBase(now = Date.now()): number {
  return Math.max(0, Math.floor((now - Date.UTC(2026, 0, 1)) / 20)) % 0xf0000000;
}

export class SimSource implements Source {
  readonly name = "sim";
  private timer: NodeJS.Timeout | null = null;
  private framesIn = 0;
  private lastFrameAt: number | undefined;
  private state: SourceHealth["state"] = "stopped";
  readonly fleet: SimFleet;
  /** Every frame emitted and what became of it (for tests and the demo's status line). */
  onResult?: (r: { deviceId: number; counter: number; status: string; messageId?: string }) => void;

  constructor(
    private readonly config: SimConfig,
    masterKey: Uint8Array,
  ) {
    this.fleet = new SimFleet({
      masterKey,
      bands: config.bands,
      classrooms: config.classrooms,
      firstBandId: config.firstBandId,
      firstClassroomId: config.firstClassroomId,
      counterBase: clockCounterBase(),
      profile: config.profile ?? "plain",
    });
    this.released = new Promise((done) => (this.release = done));
    if (config.hold !== true) this.release();
  }

  /** Lets a held fleet (`hold: true`) go live: first its backfill, then live frames. */
  release: () => void = () => undefined;
  private readonly released: Promise<void>;
  /** Resolves once the backfill (if any) has been emitted and live frames flow. */
  live: Promise<void> = Promise.resolve();

  async start(emit: Emit): Promise<void> {
    this.state = "running";
    if (this.config.replay) return this.replay(emit, this.config.replay);
    if (this.fleet.devices.length === 0) return;
    this.live = this.released.then(async () => {
      if (this.state !== "running") return;
      const now = Date.now() / 1000;
      this.fleet.begin(now);
      await this.backfill(emit, now);
      if (this.state === "running") this.goLive(emit);
    });
  }

  /**
   * The classroom readings of the last `backfillHours` before going live, oldest first: every
   * 2 minutes, and every 20 s in the last half hour (the alert rule sees a real 10 minutes).
   * Emitted in batches, each awaited, so the pipeline and the outbox keep up.
   */
  private async backfill(emit: Emit, now: number): Promise<void> {
    const hours = this.config.backfillHours ?? 0;
    if (hours <= 0) return;
    const dense = Math.min(hours * 3600, 1800);
    const frames = this.fleet
      .classroomHistory(now - hours * 3600, now - dense, 120)
      .concat(this.fleet.classroomHistory(now - dense, now, 20));
    for (let i = 0; i < frames.length && this.state === "running"; i += 100)
      await Promise.all(frames.slice(i, i + 100).map((f) => this.emitOne(emit, f)));
  }

  private emitOne(emit: Emit, f: SimFrame): Promise<void> {
    this.framesIn++;
    this.lastFrameAt = f.frame.receivedAt;
    return emit(f.frame).then((d) => {
      if (d.status === "accepted" && this.config.acceptedLog)
        appendFileSync(this.config.acceptedLog, d.messageId + "\n");
      this.onResult?.({
        deviceId: f.deviceId,
        counter: f.counter,
        status: d.status,
        ...(d.status !== "rejected" ? { messageId: d.messageId } : {}),
      });
    });
  }

  private goLive(emit: Emit): void {
    const tickMs = 20;
    let due = 0;
    let last = Date.now();
    this.timer = setInterval(() => {
      const now = Date.now();
      due += ((now - last) / 1000) * this.config.rate;
      last = now;
      while (due >= 1) {
        due--;
        const f = this.fleet.frame(now / 1000);
        for (let r = 0; r < this.config.repeats; r++) void this.emitOne(emit, f);
      }
    }, tickMs);
  }

  /** Replays a firmware simulator radio log in order (each frame awaited), then stops. */
  private async replay(emit: Emit, path: string): Promise<void> {
    const log = readRadioLog(path);
    this.skipped = log.skipped;
    this.replayDone = (async () => {
      for (const frame of log.frames) {
        if (this.state !== "running") return;
        this.framesIn++;
        this.lastFrameAt = frame.receivedAt;
        const d = await emit(frame);
        if (d.status === "accepted" && this.config.acceptedLog)
          appendFileSync(this.config.acceptedLog, d.messageId + "\n");
        this.onResult?.({
          deviceId: -1,
          counter: frame.lora?.fCnt ?? -1,
          status: d.status,
          ...(d.status !== "rejected" ? { messageId: d.messageId } : {}),
        });
      }
      this.state = "stopped";
    })();
  }

  /** Lines of the replayed radio log that were not frames (line number and problem). */
  skipped: { line: number; problem: string }[] = [];
  /** Resolves when a replay has emitted every frame. */
  replayDone: Promise<void> = Promise.resolve();

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.state = "stopped";
  }

  health(): SourceHealth {
    const h: SourceHealth = { name: this.name, state: this.state, framesIn: this.framesIn };
    if (this.lastFrameAt !== undefined) h.lastFrameAt = this.lastFrameAt;
    return h;
  }
}

export function createSource(config: SimConfig, deps: SourceDeps): Source {
  if (!deps.registry.masterKey)
    throw new Error(
      "sources.sim needs the registry's masterKey to derive the simulated devices' keys",
    );
  return new SimSource(config, deps.registry.masterKey);
}

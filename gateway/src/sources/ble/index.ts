// The `ble` source: continuous scan with duplicates allowed, manufacturer data under company id
// 0x0590 only. Recovers from adapter power-off, unexpected scan stops and HCI errors by
// restarting the scan (no process restart); says clearly when there is no adapter, no module or
// no permission (CAP_NET_RAW), and how to fix it.
import { frameUnderCompanyId } from "@leiden-iot/protocol";
import type { Logger } from "pino";
import type { BleConfig } from "../../config/schema.js";
import type { SourceDeps } from "../plugins.js";
import type { Emit, Source, SourceHealth } from "../source.js";
import { bluetoothAdvice, type BleProblem } from "./advice.js";
import { loadNoble, type NobleLike, type PeripheralLike } from "./noble-like.js";

export function problemOf(err: unknown): BleProblem {
  const e = err as { code?: string; message?: string; errno?: number };
  const msg = (e?.message ?? String(err)).toLowerCase();
  if (
    e?.code === "ERR_MODULE_NOT_FOUND" ||
    e?.code === "MODULE_NOT_FOUND" ||
    msg.includes("cannot find module") ||
    msg.includes("cannot find package")
  )
    return "no_module";
  if (
    e?.code === "EPERM" ||
    e?.code === "EACCES" ||
    msg.includes("eperm") ||
    msg.includes("operation not permitted") ||
    msg.includes("permission")
  )
    return "no_permission";
  if (
    e?.code === "ENODEV" ||
    msg.includes("enodev") ||
    msg.includes("no such device") ||
    msg.includes("no compatible") ||
    msg.includes("adapter")
  )
    return "no_adapter";
  return "hci_error";
}

export class BleSource implements Source {
  readonly name = "ble";
  private noble: NobleLike | null = null;
  private emit: Emit | null = null;
  private state: SourceHealth["state"] = "stopped";
  private detail: string | undefined;
  private framesIn = 0;
  private lastFrameAt: number | undefined;
  private restartTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  scanStarts = 0;

  constructor(
    private readonly config: BleConfig,
    private readonly log: Logger,
    private readonly load: () => Promise<NobleLike> = loadNoble,
  ) {}

  async start(emit: Emit): Promise<void> {
    this.emit = emit;
    this.stopping = false;
    this.state = "starting";
    try {
      this.noble = await this.load();
    } catch (e) {
      this.unavailable(problemOf(e), e);
      return;
    }
    const n = this.noble;
    n.on("stateChange", this.onState);
    n.on("discover", this.onDiscover);
    n.on("scanStop", this.onScanStop);
    n.on("warning", this.onError);
    n.on("error", this.onError);
    if (n.state === "poweredOn") await this.scan();
    else this.onState(n.state);
  }

  private unavailable(p: BleProblem, err?: unknown): void {
    this.state = "unavailable";
    this.detail = bluetoothAdvice(p);
    this.log.error(
      { problem: p, err: err ? String((err as Error).message ?? err) : undefined },
      this.detail,
    );
  }

  private readonly onState = (s: string): void => {
    if (this.stopping) return;
    if (s === "poweredOn") {
      void this.scan();
      return;
    }
    if (s === "unknown" || s === "resetting") {
      this.state = "degraded";
      this.detail = `Bluetooth adapter state ${s}; waiting for it to power on`;
      return;
    }
    const p: BleProblem =
      s === "poweredOff" ? "powered_off" : s === "unauthorized" ? "no_permission" : "no_adapter";
    if (p === "powered_off") {
      this.state = "degraded";
      this.detail = bluetoothAdvice(p);
      this.log.warn(this.detail);
    } else this.unavailable(p);
  };

  private readonly onDiscover = (p: PeripheralLike): void => {
    const data = frameUnderCompanyId(p.advertisement?.manufacturerData);
    if (!data || !this.emit) return;
    this.framesIn++;
    const now = Date.now() / 1000;
    this.lastFrameAt = now;
    const frame: Parameters<Emit>[0] = {
      source: "ble",
      channel: "ble",
      receivedAt: now,
      ble: { data },
    };
    if (p.address) frame.ble!.address = p.address;
    if (typeof p.rssi === "number") frame.rssi = p.rssi;
    void this.emit(frame);
  };

  private readonly onScanStop = (): void => {
    if (this.stopping || this.noble?.state !== "poweredOn") return;
    this.log.warn("BLE scan stopped unexpectedly; restarting it");
    this.scheduleRestart();
  };

  private readonly onError = (e: unknown): void => {
    if (this.stopping) return;
    const p = problemOf(e);
    this.state = "degraded";
    this.detail = bluetoothAdvice(p);
    this.log.warn({ err: String((e as Error)?.message ?? e) }, this.detail);
    if (p === "no_permission") this.state = "unavailable";
    else this.scheduleRestart();
  };

  private scheduleRestart(): void {
    if (this.restartTimer || this.stopping) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      void (async () => {
        try {
          await this.noble?.stopScanningAsync();
        } catch {
          // already stopped
        }
        if (this.noble?.state === "poweredOn") await this.scan();
      })();
    }, this.config.restartDelayMs);
  }

  private async scan(): Promise<void> {
    if (!this.noble || this.stopping) return;
    try {
      this.scanStarts++;
      await this.noble.startScanningAsync([], true);
      this.state = "running";
      this.detail = undefined;
      this.log.info("BLE scanning (duplicates allowed, company id 0x0590)");
    } catch (e) {
      const p = problemOf(e);
      if (p === "no_permission" || p === "no_adapter") this.unavailable(p, e);
      else {
        this.state = "degraded";
        this.detail = bluetoothAdvice("hci_error");
        this.log.warn({ err: (e as Error).message }, "could not start the BLE scan; retrying");
        this.scheduleRestart();
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const n = this.noble;
    if (n) {
      n.removeListener("stateChange", this.onState);
      n.removeListener("discover", this.onDiscover);
      n.removeListener("scanStop", this.onScanStop);
      n.removeListener("warning", this.onError);
      n.removeListener("error", this.onError);
      await n.stopScanningAsync().catch(() => undefined);
    }
    this.state = "stopped";
  }

  health(): SourceHealth {
    const h: SourceHealth = { name: this.name, state: this.state, framesIn: this.framesIn };
    if (this.detail) h.detail = this.detail;
    if (this.lastFrameAt !== undefined) h.lastFrameAt = this.lastFrameAt;
    return h;
  }
}

export function createSource(config: BleConfig, deps: SourceDeps): Source {
  return new BleSource(config, deps.log);
}

// One scenario's simulated world: the firmware simulator running the built bundle, the SimIO
// plugin under a johnny-five Board, the real gateway fed by the simulated radio, and the same
// observers and bench the rig uses.
import {
  cmacKey,
  derivePseudonymKey,
  deriveDeviceKey,
  deviceKeys,
  fromHex,
  nodeAes128,
  pseudonymOf,
  withCompanyId,
} from "@leiden-iot/protocol";
import five, { type Board } from "johnny-five";
import type { DeviceConfig, RigConfig } from "../config/rig-config.js";
import { SimIO } from "../io/sim-io.js";
import { AirLog } from "../observe/air-log.js";
import { MqttObserver } from "../observe/mqtt-observer.js";
import { Bench, type Forger } from "../rig/bench.js";
import type { DeviceUnderTest, HilContext } from "../rig/context.js";
import { NotRunError, type Scenario } from "../scenario/types.js";
import { softReload, startFirmware, type RadioLine, type Simulation } from "./firmware-sim.js";
import { SimClock } from "./sim-clock.js";
import { startSimGateway, type RawFrame, type SimGateway } from "./sim-gateway.js";
import { SimDeviceWiring } from "./sim-wiring.js";

/** Monday 23 November 2026, 09:00 in Amsterdam (08:00 UTC): a school and work day. */
export const SIM_START = Date.UTC(2026, 10, 23, 8, 0, 0) / 1000;

const board = (io: SimIO): Promise<Board> =>
  new Promise((resolve, reject) => {
    const b = new five.Board({ io: io, repl: false, debug: false, timeout: 5000 });
    b.once("ready", () => resolve(b));
    b.once("error", reject);
  });

export class SimSession {
  ctx!: HilContext;
  private gw!: SimGateway;
  private observer!: MqttObserver;
  private bench!: Bench;
  private radioSeen = 0;
  private accepted = 0;
  private transmitters: { frame: Uint8Array; until: number; next: number }[] = [];
  readonly lines: string[] = [];

  constructor(
    readonly sim: Simulation,
    private readonly device: DeviceConfig,
    private readonly air: AirLog,
  ) {}

  static async open(rig: RigConfig, s: Scenario, log: (l: string) => void): Promise<SimSession> {
    const device = rig.devices[s.device];
    if (!device)
      throw new NotRunError(
        `rigs/sim.yaml has no ${s.device}`,
        `add devices.${s.device} to hil-tests/rigs/sim.yaml`,
      );
    if (!device.masterKey)
      throw new NotRunError(
        `the simulator derives keys from a master key; devices.${s.device} has only a device key`,
        `set devices.${s.device}.masterKey in hil-tests/rigs/sim.yaml`,
      );
    const master = fromHex(device.masterKey.toLowerCase())!;
    const sim = startFirmware({
      device: s.device,
      board: device.board,
      start: SIM_START,
      masterKey: device.masterKey.toLowerCase(),
      deviceId: device.id,
      // The band's accelerometer samples go through the firmware's software step counter; the
      // wiring attaches the shaker arm as their source.
      imu: "samples",
    });
    const deviceKey = deriveDeviceKey(nodeAes128, master, device.id);
    const macKey = cmacKey(nodeAes128, deviceKeys(nodeAes128, deviceKey).mac);
    const session = new SimSession(sim, device, new AirLog(macKey));
    await session.start(rig, s, master, macKey, log);
    return session;
  }

  private async start(
    rig: RigConfig,
    s: Scenario,
    master: Uint8Array,
    macKey: ReturnType<typeof cmacKey>,
    log: (l: string) => void,
  ): Promise<void> {
    const scope = this.device.pseudonymScope ?? "hil-sim";
    const cfg = JSON.parse(this.sim.storage.files["liot.cfg"] ?? "{}") as { deveui?: string };
    this.gw = await startSimGateway({
      masterKey: this.device.masterKey!,
      pseudonymScope: scope,
      topicPrefix: rig.gateway.topicPrefix,
      devices: [{ id: this.device.id, kind: s.device, devEui: cfg.deveui }],
    });
    const wiring = new SimDeviceWiring(this.sim, rig, this.device);
    const io = new SimIO(wiring);
    const clock = new SimClock({
      now: () => this.sim.sched.now,
      advance: (ms) => {
        wiring.beforeAdvance(ms / 1000);
        this.sim.advance(ms);
        io.report();
      },
      settle: () => this.settle(),
    });
    const forger: Forger = {
      broadcast: async (frame, ms) => {
        const now = clock.now();
        this.transmitters.push({ frame: frame, until: now + ms, next: now });
        await clock.wait(ms);
      },
    };
    this.bench = new Bench(
      await board(io),
      { kind: s.device, shaker: rig.shaker, pins: this.device.pins, forger: forger },
      clock,
    );
    this.observer = new MqttObserver({
      url: this.gw.brokerUrl,
      topicPrefix: rig.gateway.topicPrefix,
      metricsUrl: this.gw.metricsUrl,
      pseudonym: pseudonymOf(
        nodeAes128,
        derivePseudonymKey(nodeAes128, master, scope),
        this.device.id,
      ),
      air: this.air,
      now: () => clock.now(),
    });
    await this.observer.start();
    const sim = this.sim;
    const dut: DeviceUnderTest = {
      kind: s.device,
      board: this.device.board,
      deviceId: this.device.id,
      macKey: macKey,
      setClock: async (t) => sim.setDeviceTime(t),
      deviceNow: () => sim.deviceTime() * 1000,
      configure: async (settings) => {
        const c = JSON.parse(sim.storage.files["liot.cfg"] ?? "{}") as Record<string, unknown>;
        if (settings.goalSteps !== undefined) c.goal = settings.goalSteps;
        (sim.storage.api().write as (n: string, d: string) => boolean)(
          "liot.cfg",
          JSON.stringify(c),
        );
        softReload(sim);
      },
    };
    this.ctx = {
      mode: "sim",
      clock: clock,
      bench: this.bench,
      device: dut,
      air: this.air,
      gateway: this.observer,
      log: (l) => {
        this.lines.push(l);
        log(l);
      },
    };
  }

  /** Delivers the radio traffic of the last step to the observer and the gateway. */
  private async settle(): Promise<void> {
    const now = this.sim.sched.now;
    const frames: RawFrame[] = [];
    const radio = this.sim.radio;
    for (; this.radioSeen < radio.length; this.radioSeen++)
      frames.push(this.heard(radio[this.radioSeen]!));
    for (const t of this.transmitters) {
      while (t.next <= now && t.next < t.until) {
        frames.push({
          source: "sim",
          channel: "ble",
          receivedAt: t.next / 1000,
          rssi: -70,
          ble: { data: t.frame },
        });
        this.air.offer({ at: t.next, manufacturerData: withCompanyId(t.frame) });
        t.next += 1000;
      }
    }
    this.transmitters = this.transmitters.filter((t) => t.next < t.until);
    if (frames.length === 0) return;
    const out = await Promise.all(frames.map((f) => this.gw.gateway.emit(f)));
    this.accepted += out.filter((d) => d.status === "accepted").length;
    // The gateway needs real time to store, publish and deliver; virtual time waits for it.
    const deadline = Date.now() + 5000;
    while (this.observer.received() < this.accepted && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 2));
  }

  private heard(l: RadioLine): RawFrame {
    if (l.channel === "ble") {
      const data = fromHex(l.data)!;
      this.air.offer({
        at: l.t * 1000,
        manufacturerData: withCompanyId(data),
        address: l.address,
        rssi: l.rssi,
      });
      return {
        source: "sim",
        channel: "ble",
        receivedAt: l.t,
        rssi: l.rssi,
        ble: { data: data, address: l.address },
      };
    }
    return {
      source: "sim",
      channel: "lora",
      receivedAt: l.t,
      lora: {
        devEui: l.devEui,
        devAddr: l.devAddr,
        fCnt: l.fCnt,
        fPort: l.fPort,
        payload: fromHex(l.payload)!,
        dataRate: l.dataRate,
      },
    };
  }

  async close(): Promise<void> {
    this.bench?.rest();
    await this.observer?.stop();
    await this.gw?.stop();
  }
}

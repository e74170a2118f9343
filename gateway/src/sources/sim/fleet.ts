// An in-process fleet of simulated bands and classroom nodes that encodes real signed adverts
// with the protocol encoders and keys derived from the deployment master key. Pure: the caller
// supplies the clock; the sim source (index.ts) drives it on a timer.
import {
  cmacKey,
  deriveDeviceKey,
  deviceKeys,
  encodeBandAdvert,
  encodeClassroomAdvert,
  epochIdentity,
  epochOf,
  localDay,
  nextLevel,
  nodeAes128,
  DEFAULT_CO2_PRESET,
  type CmacKey,
  type SignalLevel,
} from "@leiden-iot/protocol";
import type { RawFrame } from "../source.js";
import { demoBacklogDaysAgo, demoClassroomCo2, demoDaySteps } from "./demo-profile.js";

interface SimDevice {
  id: number;
  kind: "band" | "classroom";
  /** Position among the fleet's bands or classrooms (0 = the first). */
  index: number;
  mac: CmacKey;
  eidKey: Uint8Array;
  counter: number;
  steps: number;
  co2: number;
  /** The node's light, by the same rule and preset as the firmware (hysteresis included). */
  signal: SignalLevel;
  eidEpoch: number;
  eid: Uint8Array;
}

export interface FleetOptions {
  masterKey: Uint8Array;
  bands: number;
  classrooms: number;
  firstBandId: number;
  firstClassroomId: number;
  /** Starting counter (e.g. seconds since epoch, so a restarted fleet never reuses counters). */
  counterBase?: number;
  /** "plain": short lessons, no backlog; "demo": demo-profile.ts (long lesson, earlier days). */
  profile?: "plain" | "demo";
  /** Unix seconds the demo profile counts from (default: the first frame's time). */
  startedAt?: number;
}

/** Length of one simulated lesson: CO2 builds up, then a window is opened. */
export const SIM_LESSON_SECONDS = 360;

/**
 * CO2 of a simulated classroom at time t: rises from 450 to ~1700 ppm over 80 % of a lesson and
 * falls back while the room is aired; each classroom has its own phase, so at any moment the
 * demo shows a mix of green, orange and red rooms.
 */
export function classroomCo2(id: number, t: number): number {
  const phase = (t / SIM_LESSON_SECONDS + ((id * 0.37) % 1)) % 1;
  const level = phase < 0.8 ? phase / 0.8 : (1 - phase) / 0.2;
  return Math.round(450 + 1250 * level);
}

export interface SimFrame {
  frame: RawFrame;
  deviceId: number;
  counter: number;
}

export class SimFleet {
  readonly devices: SimDevice[] = [];
  private next = 0;
  private readonly demo: boolean;
  private startedAt: number | undefined;

  constructor(opts: FleetOptions) {
    this.demo = opts.profile === "demo";
    this.startedAt = opts.startedAt;
    const add = (id: number, kind: "band" | "classroom", index: number) => {
      const keys = deviceKeys(nodeAes128, deriveDeviceKey(nodeAes128, opts.masterKey, id));
      this.devices.push({
        id: id,
        kind: kind,
        index: index,
        mac: cmacKey(nodeAes128, keys.mac),
        eidKey: keys.eid,
        counter: opts.counterBase ?? 0,
        steps: (id * 37) % 4000,
        co2: 500 + ((id * 53) % 400),
        signal: "none",
        eidEpoch: -1,
        eid: new Uint8Array(4),
      });
    };
    for (let i = 0; i < opts.bands; i++) add(opts.firstBandId + i, "band", i);
    for (let i = 0; i < opts.classrooms; i++) add(opts.firstClassroomId + i, "classroom", i);
  }

  /**
   * Classroom adverts as the nodes sent them from `from` to `to` (Unix seconds, every `every`
   * seconds, oldest first, counters increasing): the hours before the fleet started, so the
   * dashboard's 24-hour chart and the alert rule have a past. Send them before any live frame.
   */
  classroomHistory(from: number, to: number, every: number): SimFrame[] {
    this.begin(to);
    const out: SimFrame[] = [];
    const rooms = this.devices.filter((d) => d.kind === "classroom");
    for (let t = from; t < to; t += every)
      for (const d of rooms)
        out.push({ frame: this.advertOf(d, t), deviceId: d.id, counter: d.counter });
    return out;
  }

  /** The demo profile counts from here (the moment the fleet goes live); set once. */
  begin(t: number): void {
    this.startedAt ??= t;
  }

  /** The next device (round robin) sends a fresh advert with counter + 1. */
  frame(now: number): SimFrame {
    this.begin(now);
    const d = this.devices[this.next++ % this.devices.length]!;
    return { frame: this.advertOf(d, now), deviceId: d.id, counter: d.counter };
  }

  private advertOf(d: SimDevice, now: number): RawFrame {
    const epoch = epochOf(now);
    if (d.eidEpoch !== epoch) {
      d.eid = epochIdentity(nodeAes128, d.eidKey, epoch).eid;
      d.eidEpoch = epoch;
    }
    d.counter = (d.counter + 1) >>> 0;
    let data: Uint8Array;
    if (d.kind === "band") {
      d.steps = Math.min(200000, d.steps + 1 + (d.counter % 13));
      const day = localDay(now); // the band's day, as the firmware counts it: Amsterdam local time
      data = encodeBandAdvert(
        {
          eid: "",
          counter: d.counter,
          day: day,
          steps: d.steps,
          backlog: this.demo ? this.backlogOf(d, day) : null,
          batteryMv: 3000 - (d.counter % 50) * 10,
          flags: {
            goalReached: d.steps >= 10000,
            lowBattery: false,
            clockNotSet: false,
            storageFault: false,
            sensorFault: false,
          },
        },
        d.eid,
        d.mac,
      );
    } else {
      d.co2 = this.demo
        ? demoClassroomCo2(d.index, now, this.startedAt ?? now)
        : classroomCo2(d.id, now);
      d.signal = nextLevel(d.signal, d.co2, DEFAULT_CO2_PRESET);
      data = encodeClassroomAdvert(
        {
          eid: "",
          counter: d.counter,
          reading: {
            co2Ppm: d.co2,
            temperatureDeci: 195 + ((d.id * 7) % 30) + Math.round((d.co2 - 450) / 100),
            humidityHalfPercent: 76 + ((d.id * 11) % 20) + Math.round((d.co2 - 450) / 60),
          },
          power: { external: true, batteryPercent: null },
          status: {
            signal: d.signal,
            calibration: "auto",
            sensorFault: false,
            clockNotSet: false,
            restarted: false,
          },
        },
        d.eid,
        d.mac,
      );
    }
    return {
      source: "sim",
      channel: "ble",
      receivedAt: now,
      rssi: -50 - (d.id % 40),
      ble: { data: data },
    };
  }

  private backlogOf(d: SimDevice, day: number): { daysAgo: number; steps: number } {
    const daysAgo = demoBacklogDaysAgo(d.counter);
    return { daysAgo: daysAgo, steps: demoDaySteps(d.id, day - daysAgo) };
  }
}

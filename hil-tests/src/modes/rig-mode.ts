// --rig: the bench. One Firmata board and one BLE scan serve every scenario; each scenario gets
// the device of its kind from the rig config, the gateway's MQTT output and the espruino CLI.
import {
  cmacKey,
  derivePseudonymKey,
  deriveDeviceKey,
  deviceKeys,
  fromHex,
  nodeAes128,
  pseudonymOf,
} from "@leiden-iot/protocol";
import type { RigConfig } from "../config/rig-config.js";
import {
  broadcastExpression,
  espruinoEval,
  setGoalExpression,
  setTimeExpression,
} from "../device/espruino-cli.js";
import { openFirmataBoard, type OpenedBoard } from "../io/firmata-board.js";
import { loadNoble, NobleObserver } from "../observe/noble-observer.js";
import { MqttObserver } from "../observe/mqtt-observer.js";
import { Bench, type Forger } from "../rig/bench.js";
import type { DeviceUnderTest, HilContext } from "../rig/context.js";
import { wallClock } from "../rig/poll.js";
import type { ContextFactory } from "../runner/run-suite.js";
import { NotRunError, type Scenario } from "../scenario/types.js";

interface Open {
  ctx: HilContext;
  scan: NobleObserver;
  observer: MqttObserver;
  bench: Bench;
  restoreClock: boolean;
}

export function rigFactory(rig: RigConfig, log: (line: string) => void): ContextFactory {
  let board: OpenedBoard | null = null;
  let boardProblem: NotRunError | null = null;
  const open = new Map<HilContext, Open>();
  return {
    mode: "rig",
    async open(s: Scenario) {
      const d = rig.devices[s.device];
      if (!d)
        throw new NotRunError(
          `the rig config has no ${s.device}`,
          `put a ${s.device} on the bench and add devices.${s.device} to the rig config`,
        );
      // A board that did not answer once is not asked again for every scenario.
      if (boardProblem) throw boardProblem;
      try {
        board ??= await openFirmataBoard(rig.firmata.port, rig.firmata.baudRate);
      } catch (e) {
        if (e instanceof NotRunError) boardProblem = e;
        throw e;
      }
      const deviceKey = d.key
        ? fromHex(d.key.toLowerCase())!
        : deriveDeviceKey(nodeAes128, fromHex(d.masterKey!.toLowerCase())!, d.id);
      const macKey = cmacKey(nodeAes128, deviceKeys(nodeAes128, deviceKey).mac);
      const noble = await loadNoble(rig.ble.hciDevice);
      const scan = new NobleObserver(noble, macKey);
      await scan.start();
      const pseudonym =
        d.masterKey && d.pseudonymScope
          ? pseudonymOf(
              nodeAes128,
              derivePseudonymKey(nodeAes128, fromHex(d.masterKey.toLowerCase())!, d.pseudonymScope),
              d.id,
            )
          : undefined;
      const observer = new MqttObserver({
        url: rig.gateway.broker,
        username: rig.gateway.username,
        password: rig.gateway.password,
        topicPrefix: rig.gateway.topicPrefix,
        metricsUrl: rig.gateway.metricsUrl,
        pseudonym: pseudonym,
        air: scan.log,
        now: Date.now,
      });
      await observer.start().catch(async (e: unknown) => {
        await scan.stop();
        throw e;
      });
      const forger: Forger | undefined = rig.forger
        ? {
            broadcast: async (data, ms) => {
              await espruinoEval(rig.forger!.port, broadcastExpression(data, ms));
              await wallClock.wait(ms);
            },
          }
        : undefined;
      const bench = new Bench(
        board.board,
        { kind: s.device, shaker: rig.shaker, pins: d.pins, forger: forger },
        wallClock,
      );
      bench.rest();
      let clockOffsetMs = 0;
      const entry: Open = {
        ctx: undefined as unknown as HilContext,
        scan,
        observer,
        bench,
        restoreClock: false,
      };
      const dut: DeviceUnderTest = {
        kind: s.device,
        board: d.board,
        deviceId: d.id,
        macKey: macKey,
        async setClock(t) {
          await espruinoEval(d.port, setTimeExpression(t));
          clockOffsetMs = t * 1000 - Date.now();
          entry.restoreClock = true;
        },
        deviceNow: () => Date.now() + clockOffsetMs,
        async configure(settings) {
          if (settings.goalSteps !== undefined)
            await espruinoEval(d.port, setGoalExpression(settings.goalSteps));
        },
      };
      entry.ctx = {
        mode: "rig",
        clock: wallClock,
        bench: bench,
        device: dut,
        air: scan.log,
        gateway: observer,
        log: (l) => log(`  ${s.name}: ${l}`),
      };
      open.set(entry.ctx, entry);
      return entry.ctx;
    },
    async close(ctx) {
      const o = open.get(ctx);
      if (!o) return;
      open.delete(ctx);
      o.bench.rest();
      if (o.restoreClock)
        await espruinoEval(
          rig.devices[ctx.device.kind]!.port,
          setTimeExpression(Date.now() / 1000),
        ).catch((e: Error) =>
          log(`could not set the ${ctx.device.kind}'s clock back: ${e.message}`),
        );
      await o.scan.stop();
      await o.observer.stop();
    },
    emergencyStop() {
      for (const o of open.values()) o.bench.rest();
    },
    async dispose() {
      await board?.close();
      board = null;
    },
  };
}

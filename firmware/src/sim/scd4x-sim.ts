// Simulated Sensirion SCD4x on I2C 0x62: the commands the firmware uses, CRC on every word, a
// 5 s measurement period, and injectable CRC errors / missing ACKs.
import { crc8, encodeMeasurement, SCD4X_CMD } from "../classroom/scd4x.js";

export class Scd4xSim {
  co2 = 600;
  /** CO2 scenario: when set, the reading at unix time t (overrides co2). */
  co2At: ((t: number) => number) | null = null;
  tempC = 21;
  rh = 45;
  running = false;
  autoCalibration = true;
  private startedAt = 0;
  private reply: number[] = [];
  /** The next n replies carry a wrong CRC byte. */
  crcErrors = 0;
  /** While true the sensor does not acknowledge (unplugged). */
  noAck = false;
  readonly commands: number[] = [];
  lastForcedRecalibration: number | null = null;

  write(bytes: ArrayLike<number>, t: number): void {
    if (this.noAck) throw new Error("I2C: no ACK from 0x62");
    const cmd = (bytes[0]! << 8) | bytes[1]!;
    this.commands.push(cmd);
    const word = (): number => (bytes[2]! << 8) | bytes[3]!;
    if (bytes.length === 5 && crc8(bytes[2]!, bytes[3]!) !== bytes[4]) return; // ignored
    if (cmd === SCD4X_CMD.START_PERIODIC) {
      this.running = true;
      this.startedAt = t;
    } else if (cmd === SCD4X_CMD.STOP_PERIODIC) this.running = false;
    else if (cmd === SCD4X_CMD.SET_ASC) this.autoCalibration = word() !== 0;
    else if (cmd === SCD4X_CMD.DATA_READY) {
      const ready = this.running && t - this.startedAt >= 5 ? 0x8006 : 0x8000;
      this.reply = [ready >> 8, ready & 0xff, crc8(ready >> 8, ready & 0xff)];
    } else if (cmd === SCD4X_CMD.READ_MEASUREMENT) {
      const co2 = this.co2At ? this.co2At(t) : this.co2;
      this.reply = encodeMeasurement(Math.round(co2), this.tempC, this.rh);
    } else if (cmd === SCD4X_CMD.FORCED_RECAL) {
      const ok = !this.running;
      if (ok) this.lastForcedRecalibration = word();
      const now = this.co2At ? this.co2At(t) : this.co2;
      const v = ok ? 0x8000 + Math.round(word() - now) : 0xffff;
      this.reply = [(v >> 8) & 0xff, v & 0xff, crc8((v >> 8) & 0xff, v & 0xff)];
    }
  }

  read(n: number): number[] {
    if (this.noAck) throw new Error("I2C: no ACK from 0x62");
    const r = this.reply.slice(0, n);
    while (r.length < n) r.push(0xff);
    if (this.crcErrors > 0 && r.length >= 3) {
      this.crcErrors--;
      r[2] = r[2]! ^ 0x5a;
    }
    return r;
  }
}

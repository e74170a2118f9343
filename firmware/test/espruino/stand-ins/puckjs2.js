/* eslint-disable no-undef, @typescript-eslint/no-unused-vars -- an Espruino script: its globals are the interpreter's */
// Puck.js v2 stand-ins: the LSM6DS3TR-C (registers, embedded pedometer with its 16-bit
// STEP_COUNTER) behind Puck.accelOn/accelWr/accelRd, and the CR2032 behind NRF.getBattery().
// The pedometer counts only while FUNC_EN|PEDO_EN are set and the accelerometer runs at >= 26 Hz,
// as the real IMU does; it powered up at __C.imuOnS (a cold boot of the scenario), not at boot.
var __imu = { reg: new Uint8Array(128), on: false, base: 0, from: -1, reads: 0 };
__imu.reg[0x0f] = 0x6a; // WHO_AM_I

function __pedoRunning() {
  var r = __imu.reg;
  return __imu.on && (r[0x19] & 0x14) === 0x14 && r[0x10] >> 4 >= 2;
}

/** Re-bases the counter when the pedometer starts or stops, so only running time counts. */
function __pedoUpdate(wasRunning) {
  var now = __now();
  var running = __pedoRunning();
  if (wasRunning && !running) __imu.base += __stepsBy(now) - __stepsBy(__imu.from);
  if (running && !wasRunning) __imu.from = Math.max(now, __C.imuOnS || 0);
}

var Puck = {
  accelOn: function (hz) {
    __mem("Puck.accelOn");
    var was = __pedoRunning();
    __imu.on = true;
    // accelOn writes CTRL1_XL for the rate and enables the data-ready interrupt (JS wakes per sample).
    __imu.reg[0x10] = hz >= 26 ? 0x20 : 0x10;
    __imu.reg[0x0d] = 1;
    __pedoUpdate(was);
  },
  accelOff: function () {
    var was = __pedoRunning();
    __imu.on = false;
    __pedoUpdate(was);
  },
  accelWr: function (reg, val) {
    __mem("Puck.accelWr");
    if (!__imu.on) throw new Error("Accelerometer is off");
    var was = __pedoRunning();
    __imu.reg[reg & 0x7f] = val;
    if (reg === 0x19 && val & 2) {
      __imu.base = 0; // PEDO_RST_STEP
      __imu.from = __now();
      __imu.reg[0x19] = val & ~2;
    }
    __pedoUpdate(was);
  },
  accelRd: function (reg) {
    __mem("Puck.accelRd");
    if (!__imu.on) throw new Error("Accelerometer is off");
    var n = __imu.base;
    if (__pedoRunning()) n += __stepsBy(__now()) - __stepsBy(__imu.from);
    n = n & 0xffff;
    __imu.reads++;
    if (reg === 0x4b) return n & 0xff;
    if (reg === 0x4c) return n >> 8;
    return __imu.reg[reg & 0x7f];
  },
};

// The CR2032 feeds the nRF52 directly: NRF.getBattery() is the cell voltage.
NRF.getBattery = function () {
  return __batteryMv(__now()) / 1000;
};

/* eslint-disable no-undef, @typescript-eslint/no-unused-vars -- an Espruino script: its globals are the interpreter's */
// Bangle.js 2 stand-ins: the firmware's own step counter (Bangle.getStepCount, steps since boot),
// vibration, charging, and the LiPo: E.getBattery() as the Bangle.js 2 firmware computes it from
// the battery pin D3 (ESPR_BATTERY_FULL_VOLTAGE curve, full = 0.3144 at the pin), analogRead(D3),
// and NRF.getBattery(), which reads the chip's regulated 3.3 V supply, not the battery.
var __bangle = { bootSteps: __stepsBy(__now()), buzzes: 0 };

var Bangle = {
  getStepCount: function () {
    __mem("Bangle.getStepCount");
    return __stepsBy(__now()) - __bangle.bootSteps;
  },
  buzz: function (ms) {
    __bangle.buzzes++;
    return new Promise(function (resolve) {
      setTimeout(resolve, ms || 200);
    });
  },
  isCharging: function () {
    return false;
  },
  on: function (ev, fn) {
    if (typeof fn !== "function") throw new Error("Function not supplied");
  },
};

E.getBattery = function () {
  var v = __batteryMv(__now()) / 1000;
  var pc;
  if (v >= 3.95) pc = 80 + ((v - 3.95) * 20) / (4.2 - 3.95);
  else if (v >= 3.7) pc = 10 + ((v - 3.7) * 70) / (3.95 - 3.7);
  else pc = ((v - 3.3) * 10) / (3.7 - 3.3);
  pc = Math.floor(pc);
  return pc > 100 ? 100 : pc < 0 ? 0 : pc;
};

var __analogRead = analogRead;
function analogRead(pin) {
  if (pin === D3) return (__batteryMv(__now()) / 4200) * 0.3144;
  return __analogRead(pin);
}

NRF.getBattery = function () {
  return 3.3;
};

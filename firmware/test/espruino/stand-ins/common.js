/* eslint-disable no-undef, @typescript-eslint/no-unused-vars -- an Espruino script: its globals are the interpreter's */
// Board hardware the Linux interpreter lacks, common to every board. Loaded as `.boot0` (runs from
// flash before `.bootcde`, the bundle), after a one-line `var __C = {...}` scenario config.
// Keep it small and plain (ES5, no regexes, no closures per event): whatever it allocates counts
// against the board's variables like the firmware's own (stricter than hardware, never kinder).
// Report lines start with "LIOT " (parsed in Node by report.ts).
var __H = {
  w: __C.startMs, // world time, unix ms
  d: __C.rtcMs - __C.startMs, // device RTC minus world time (a cold boot restarts the RTC)
  q: [], // virtual timers {i, a (world ms), f, r (repeat ms)}
  n: 1,
  peak: 0,
  peakTag: "",
  steady: 0,
  sinceSample: 0,
  sampleAt: __C.startMs + __C.sampleMs,
  rt: setTimeout, // the interpreter's own timer: one virtual event per interpreter event
};

/** Memory use now, without a garbage collection: the peak as the board would see it. */
function __mem(tag) {
  var u = process.memory(false).usage;
  if (u > __H.peak) {
    __H.peak = u;
    __H.peakTag = tag;
  }
  if (u > __H.sinceSample) __H.sinceSample = u;
}

function __say(s) {
  print("LIOT " + s);
}

function __now() {
  return Math.floor(__H.w / 1000);
}

// Linux setTime() does not move the clock: the stand-in keeps device time itself.
function getTime() {
  return (__H.w + __H.d) / 1000;
}
function setTime(t) {
  __H.d = t * 1000 - __H.w;
  __say("T " + __now() + " " + t);
}

function __addTimer(fn, ms, rep) {
  if (typeof fn !== "function") throw new Error("Function or String not supplied!");
  var id = __H.n++;
  ms = ms > 0 ? ms : 0;
  __H.q.push({ i: id, a: __H.w + ms, f: fn, r: rep ? Math.max(ms, 1) : 0 });
  return id;
}
function setTimeout(fn, ms) {
  return __addTimer(fn, ms, false);
}
function setInterval(fn, ms) {
  return __addTimer(fn, ms, true);
}
function clearTimeout(id) {
  for (var i = 0; i < __H.q.length; i++)
    if (__H.q[i].i === id) {
      __H.q.splice(i, 1);
      return;
    }
}
function clearInterval(id) {
  clearTimeout(id);
}

/** A scenario event at world time tMs (not a device timer: it survives nothing, counts nothing). */
function __at(tMs, fn) {
  __H.q.push({ i: 0, a: tMs, f: fn, r: 0 });
}

function __sample() {
  __mem("sample");
  var gc = process.memory().usage;
  if (gc > __H.steady) __H.steady = gc;
  __say("S " + __now() + " " + gc + " " + __H.sinceSample);
  __H.sinceSample = 0;
}

/** The index of the earliest virtual timer, -1 when none. */
function __earliest() {
  var q = __H.q;
  var b = -1;
  for (var i = 0; i < q.length; i++) if (b < 0 || q[i].a < q[b].a) b = i;
  return b;
}

/**
 * Runs virtual timers in time order inside one interpreter event (up to __C.batch of them: the
 * Linux build sleeps a few ms between its own events). The next interpreter event is scheduled
 * first, so an exception in a callback is reported by the interpreter ("Uncaught ...") as on a
 * board, and the run carries on with the next timer.
 */
function __step() {
  __H.rt(__step, 0);
  for (var k = 0; k < __C.batch; k++) {
    var b = __earliest();
    var at = b < 0 ? __C.endMs + 1 : __H.q[b].a;
    if (__H.sampleAt <= at && __H.sampleAt <= __C.endMs) {
      // Samples between events, at the scenario's interval: the idle (steady) memory.
      __H.w = __H.sampleAt;
      __H.sampleAt += __C.sampleMs;
      __sample();
      return;
    }
    if (at > __C.endMs) {
      __H.w = __C.endMs;
      __mem("end");
      __say("END " + __now() + " " + __H.steady + " " + __H.peak + " " + __H.peakTag);
      quit();
      return;
    }
    var e = __H.q[b];
    __H.w = e.a;
    if (e.r) e.a += e.r;
    else __H.q.splice(b, 1);
    __mem("event");
    e.f();
    __mem("event");
  }
}

/** Called by the scenario (-e) after boot: reports boot memory, then runs to __C.endMs. */
function __run() {
  __mem("boot");
  __say("BOOT " + __now() + " " + process.memory().usage + " " + __H.base + " " + __H.peak);
  __H.rt(__step, 0);
}

// Pins Puck.js / Bangle.js have and the Linux build lacks (LED1-3, BTN): record, never touch GPIO.
var LED1 = { pin: "LED1" };
var LED2 = { pin: "LED2" };
var LED3 = { pin: "LED3" };
var BTN = { pin: "BTN" };
var __pins = { writes: 0 };
LED1.write =
  LED2.write =
  LED3.write =
    function () {
      __pins.writes++;
    };
LED1.set = LED2.set = LED3.set = LED1.write;
LED1.reset = LED2.reset = LED3.reset = LED1.write;
function digitalPulse(pin, v, ms) {
  __pins.writes++;
}
function digitalWrite(pin, v) {
  __pins.writes++;
}
var __watches = [];
function setWatch(fn, pin, opts) {
  if (typeof fn !== "function") throw new Error("Function or String not supplied!");
  __watches.push({ f: fn, p: pin, e: opts && opts.edge });
  return __watches.length;
}
/** Button press of ms milliseconds: rising then falling edge, as setWatch reports them. */
function __press(ms) {
  var t = getTime();
  for (var i = 0; i < __watches.length; i++) {
    var x = __watches[i];
    if (x.p !== BTN) continue;
    if (x.e === "rising" || x.e === "both") x.f({ state: true, time: t, lastTime: t });
  }
  __at(__H.w + ms, function () {
    var t2 = getTime();
    for (var j = 0; j < __watches.length; j++) {
      var y = __watches[j];
      if (y.p !== BTN) continue;
      if (y.e === "falling" || y.e === "both") y.f({ state: false, time: t2, lastTime: t });
    }
  });
}

// load() restarts the program from Storage; in a run it ends the run so Node can start the next.
function load() {
  __say("LOAD " + __now());
  quit();
}

/** Steps the wearer has taken by world time tS: __C.walk = [[fromS, toS, stepsPerMinute], ...]. */
function __stepsBy(tS) {
  var n = 0;
  var w = __C.walk || [];
  for (var i = 0; i < w.length; i++) {
    var a = w[i][0];
    var b = Math.min(w[i][1], tS);
    if (b > a) n += ((b - a) * w[i][2]) / 60;
  }
  return Math.floor(n);
}

/** Cell voltage (mV) at world time tS: __C.battery = [[fromS, mV], ...], piecewise constant. */
function __batteryMv(tS) {
  var b = __C.battery || [[0, 3000]];
  var v = b[0][1];
  for (var i = 0; i < b.length; i++) if (b[i][0] <= tS) v = b[i][1];
  return v;
}

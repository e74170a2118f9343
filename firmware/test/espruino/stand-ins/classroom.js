/* eslint-disable no-undef, @typescript-eslint/no-unused-vars, @typescript-eslint/no-require-imports -- an Espruino script: its globals are the interpreter's */
// Classroom node hardware: a Sensirion SCD4x on I2C1 (address 0x62, 16-bit commands, words with
// CRC-8 poly 0x31 init 0xFF, periodic measurement every 5 s, data-ready flag, idle-only commands
// refused while measuring) and a Microchip RN2483 on Serial1 (ASCII commands at 57600 baud, OTAA
// join, `mac tx` answered "ok" then mac_tx_ok / mac_rx, `sys sleep` woken by a break + 0x55).
// Scenario (__C, and the room in Storage file liot.room: records of tS, ppm, tempC, rh%, piecewise
// linear); scdFault = [fromS, toS]
// (every reply's CRC corrupted); outage = [fromS, toS] (no uplink gets out: no_free_ch, then
// ok + mac_err in the second half; the first uplink after it finds the session lost: not_joined);
// downlinks = [[fromS, port, hex], ...] (each delivered with the first uplink after fromS).
// Report lines: "LIOT M t co2 tWord rhWord" per measurement read, "LIOT U t dr fcnt <mac tx ...>"
// per uplink on air, "LIOT J t" per accepted join, "LIOT X t cmd" per refused command.

function __crc8(hi, lo) {
  var c = 0xff ^ hi;
  for (var i = 0; i < 16; i++) {
    if (i === 8) c ^= lo;
    c = c & 0x80 ? ((c << 1) ^ 0x31) & 0xff : (c << 1) & 0xff;
  }
  return c;
}

var __scd = { ri: 0, on: false, from: 0, lastRead: -1, reply: null, busyUntil: 0, asc: 1, frc: 0 };

/** Record i of the room (Storage file liot.room, 10 bytes each): [tS, ppm, tempC, rh]. */
function __roomAt(i) {
  var r = E.toUint8Array(require("Storage").read("liot.room", i * 10, 10));
  return [
    ((r[0] << 8) | r[1]) * 65536 + ((r[2] << 8) | r[3]),
    (r[4] << 8) | r[5],
    ((r[6] << 8) | r[7]) / 100 - 50,
    ((r[8] << 8) | r[9]) / 100,
  ];
}

/**
 * The room at world time tS, piecewise linear between the records of liot.room (written by the
 * harness: the profile stays in flash, so it costs the board's RAM nothing). Times only grow.
 */
function __room(tS) {
  var n = __C.roomRecords;
  while (__scd.ri + 1 < n && __roomAt(__scd.ri + 1)[0] <= tS) __scd.ri++;
  var a = __roomAt(__scd.ri);
  if (__scd.ri + 1 >= n || tS <= a[0]) return [a[1], a[2], a[3]];
  var b = __roomAt(__scd.ri + 1);
  var f = (tS - a[0]) / (b[0] - a[0]);
  return [a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f, a[3] + (b[3] - a[3]) * f];
}

/** Index of the newest 5 s sample since periodic measurement started (-1: none yet). */
function __scdSample() {
  if (!__scd.on) return -1;
  return Math.floor((__H.w - __scd.from) / 5000) - 1;
}

function __scdWords(words) {
  var out = new Uint8Array(words.length * 3);
  var bad = __C.scdFault && __now() >= __C.scdFault[0] && __now() < __C.scdFault[1];
  for (var i = 0; i < words.length; i++) {
    var hi = (words[i] >> 8) & 0xff;
    var lo = words[i] & 0xff;
    out[3 * i] = hi;
    out[3 * i + 1] = lo;
    out[3 * i + 2] = __crc8(hi, lo) ^ (bad ? 0x5a : 0);
  }
  return out;
}

function __nack(what) {
  __say("X " + __now() + " i2c " + what);
  throw new Error("I2C Error: NACK " + what);
}

var I2C1 = {
  setup: function (o) {
    if (typeof o !== "object") throw new Error("Expecting an object");
  },
  writeTo: function (addr, data) {
    __mem("I2C1.writeTo");
    if (addr !== 0x62) __nack("address " + addr);
    if (__H.w < __scd.busyUntil) __nack("busy");
    var cmd = (data[0] << 8) | data[1];
    var arg = -1;
    if (data.length === 5) {
      if (__crc8(data[2], data[3]) !== data[4]) __nack("argument crc");
      arg = (data[2] << 8) | data[3];
    } else if (data.length !== 2) __nack("length " + data.length);
    __scd.reply = null;
    if (cmd === 0x21b1) {
      if (__scd.on) __nack("already measuring");
      __scd.on = true;
      __scd.from = __H.w;
      __scd.lastRead = -1;
    } else if (cmd === 0x3f86) {
      __scd.on = false;
      __scd.busyUntil = __H.w + 500;
    } else if (cmd === 0xe4b8) {
      var ready = __scdSample() > __scd.lastRead;
      __scd.reply = __scdWords([ready ? 0x8006 : 0x8000]);
    } else if (cmd === 0xec05) {
      var s = __scdSample();
      if (s < 0 || s <= __scd.lastRead) __nack("no data");
      __scd.lastRead = s;
      var r = __room(Math.floor((__scd.from + (s + 1) * 5000) / 1000));
      var w = [
        Math.round(r[0]) & 0xffff,
        Math.round(((r[1] + 45) * 65535) / 175) & 0xffff,
        Math.round((r[2] * 65535) / 100) & 0xffff,
      ];
      __say("M " + __now() + " " + w[0] + " " + w[1] + " " + w[2]);
      __scd.reply = __scdWords(w);
    } else if (cmd === 0x2416) {
      if (__scd.on || arg < 0) __nack("set_asc while measuring");
      __scd.asc = arg;
      __scd.busyUntil = __H.w + 1;
    } else if (cmd === 0x362f) {
      if (__scd.on || arg < 0) __nack("frc while measuring");
      __scd.frc++;
      __scd.busyUntil = __H.w + 400;
      __scd.reply = __scdWords([0x8000 + 20]);
      __say("X " + __now() + " frc " + arg);
    } else __nack("command " + cmd.toString(16));
  },
  readFrom: function (addr, n) {
    __mem("I2C1.readFrom");
    if (addr !== 0x62) __nack("address " + addr);
    if (__H.w < __scd.busyUntil || !__scd.reply) __nack("nothing to read");
    var r = __scd.reply;
    __scd.reply = null;
    return r.length === n ? r : new Uint8Array(r.buffer, 0, Math.min(n, r.length));
  },
};

var __rn = {
  ot: [],
  ol: [],
  armed: false,
  tx: "",
  txDr: 0,
  txFcnt: 0,
  rx: null,
  buf: "",
  brk: false,
  asleep: false,
  joined: false,
  keys: 0,
  fcnt: 0,
  dr: 5,
  dl: 0,
  lost: false,
};

/**
 * The module's replies wait in one queue (times and lines, in order), delivered by one scenario
 * event at a time: no closure per reply, so the stand-in adds little to the firmware's memory.
 * "\x01" stands for an uplink on air: reported, then answered mac_tx_ok or mac_rx.
 */
function __rnSend(line, ms) {
  __rn.ot.push(__H.w + ms);
  __rn.ol.push(line);
  __rnArm();
}
function __rnArm() {
  if (__rn.armed || __rn.ot.length === 0) return;
  __rn.armed = true;
  __at(__rn.ot[0], __rnPump);
}
function __rnPump() {
  __rn.armed = false;
  while (__rn.ot.length > 0 && __rn.ot[0] <= __H.w) {
    __rn.ot.shift();
    var line = __rn.ol.shift();
    if (line === "\x01") line = __rnOnAir();
    if (__rn.rx) __rn.rx(line + "\r\n");
  }
  __rnArm();
}
/** The uplink in __rn.tx went out: report it, and answer with the next due downlink or ok. */
function __rnOnAir() {
  __say("U " + __now() + " " + __rn.txDr + " " + __rn.txFcnt + " " + __rn.tx);
  __rn.tx = "";
  var d = __C.downlinks;
  if (d && __rn.dl < d.length && d[__rn.dl][0] <= __now()) {
    __rn.dl++;
    return "mac_rx " + d[__rn.dl - 1][1] + " " + d[__rn.dl - 1][2];
  }
  return "mac_tx_ok";
}

function __inOutage() {
  var o = __C.outage;
  return o && __now() >= o[0] && __now() < o[1];
}

/** mac tx <uncnf|cnf> <port> <hex>, parsed without copying the payload. */
function __rnTx(cmd) {
  var a = cmd.indexOf(" ", 7);
  var b = cmd.indexOf(" ", a + 1);
  var port = parseInt(cmd.substring(a + 1, b), 10);
  var hexLength = cmd.length - b - 1;
  if (cmd.substring(7, a) !== "uncnf" || !(port >= 1 && port <= 223) || b < 0 || hexLength % 2)
    return __rnSend("invalid_param", 5);
  if (!__rn.joined) return __rnSend("not_joined", 5);
  if (hexLength / 2 > [51, 51, 51, 115, 222, 222][__rn.dr]) return __rnSend("invalid_data_len", 5);
  var o = __C.outage;
  if (__inOutage()) {
    __rn.lost = true;
    if (__now() < (o[0] + o[1]) / 2) return __rnSend("no_free_ch", 5);
    __rnSend("ok", 5);
    return __rnSend("mac_err", 2000);
  }
  if (__rn.lost) {
    // After the outage the network has forgotten the session: the node must join again.
    __rn.lost = false;
    __rn.joined = false;
    return __rnSend("not_joined", 5);
  }
  __rn.tx = cmd;
  __rn.txDr = __rn.dr;
  __rn.txFcnt = __rn.fcnt++;
  __rnSend("ok", 5);
  __rnSend("\x01", 2500);
}

function __rnLine(cmd) {
  __mem("Serial1 command");
  if (__rn.asleep) return;
  if (cmd.indexOf("mac tx ") === 0) return __rnTx(cmd);
  var p = cmd.split(" ");
  if (cmd === "sys reset") {
    __rn.joined = false;
    return __rnSend("RN2483 1.0.5 Oct 31 2018 15:06:52", 100);
  }
  if (cmd === "mac reset 868") return __rnSend("ok", 5);
  if (p[0] === "mac" && p[1] === "set") {
    var v = p[3] || "";
    if (p[2] === "deveui" && v.length === 16) __rn.keys |= 1;
    else if (p[2] === "appeui" && v.length === 16) __rn.keys |= 2;
    else if (p[2] === "appkey" && v.length === 32) __rn.keys |= 4;
    else if (p[2] !== "adr" || (v !== "on" && v !== "off")) return __rnSend("invalid_param", 5);
    return __rnSend("ok", 5);
  }
  if (cmd === "mac get dr") return __rnSend(String(__rn.dr), 5);
  if (cmd === "mac join otaa") {
    if (__rn.keys !== 7) return __rnSend("keys_not_init", 5);
    __rnSend("ok", 5);
    if (__inOutage()) return __rnSend("denied", 6000);
    __rn.joined = true;
    __rn.fcnt = 0;
    __say("J " + __now());
    return __rnSend("accepted", 6000);
  }
  if (p[0] === "sys" && p[1] === "sleep") {
    if (!(parseInt(p[2], 10) >= 100)) return __rnSend("invalid_param", 5);
    __rn.asleep = true;
    return;
  }
  __say("X " + __now() + " rn2483 " + cmd);
  __rnSend("invalid_param", 5);
}

var Serial1 = {
  setup: function (baud, o) {
    if (baud !== 57600) throw new Error("RN2483 talks at 57600 baud, not " + baud);
  },
  unsetup: function () {
    __rn.brk = true; // the TX pin is then driven low: a break
  },
  on: function (ev, fn) {
    if (ev === "data") __rn.rx = fn;
  },
  write: function (s) {
    __mem("Serial1.write");
    if (s === "\x55") {
      // Auto-baud byte after a break: a sleeping module wakes and answers its `sys sleep`.
      if (__rn.brk && __rn.asleep) {
        __rn.asleep = false;
        __rnSend("ok", 5);
      }
      __rn.brk = false;
      return;
    }
    // The command, then its line end, in two writes (the firmware's way): no copy of either.
    if (s === "\r\n" && __rn.buf.indexOf("\r") < 0) {
      var c = __rn.buf;
      __rn.buf = "";
      return __rnLine(c);
    }
    if (__rn.buf === "") __rn.buf = s;
    else __rn.buf += s;
    var i = __rn.buf.indexOf("\r\n");
    while (i >= 0) {
      var line = __rn.buf.substring(0, i);
      __rn.buf = __rn.buf.substring(i + 2);
      __rnLine(line);
      i = __rn.buf.indexOf("\r\n");
    }
  },
};

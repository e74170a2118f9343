/* eslint-disable no-undef, @typescript-eslint/no-unused-vars, @typescript-eslint/no-require-imports -- an Espruino script: its globals are the interpreter's */
// NRF (Bluetooth) stand-in: records every advertising change ("LIOT A"/"LIOT N" lines), every
// address ("LIOT R"), and answers scans with the scenario's time beacons (Storage file liot.tb,
// written by the harness: records of 4-byte big-endian unix time + the 13-byte beacon frame).
// Arguments are checked as Espruino checks them: a bad shape throws, as on a board.
var __nrf = { cur: 0, sets: 0, addrs: 0, connectable: false };

var NRF = {
  // As jswrap_ble_setAdvertising (2v29): options must be an object; the interval is clamped to
  // 20..10240 ms; an array of arrays/ArrayBuffers/objects is a rotation, and its plain arrays are
  // converted in place to ArrayBuffers; the data stays referenced (hiddenRoot) until replaced.
  setAdvertising: function (data, opts) {
    __mem("NRF.setAdvertising");
    if (opts !== undefined && (typeof opts !== "object" || opts === null))
      throw new Error("Expecting Object or undefined, got " + typeof opts);
    opts = opts || {};
    var iv = opts.interval === undefined ? 375 : Math.min(10240, Math.max(20, opts.interval));
    var conn = opts.connectable !== false;
    var list;
    if (Array.isArray(data)) {
      var nested = false;
      for (var i = 0; i < data.length; i++) {
        var p = data[i];
        if (Array.isArray(p)) {
          if (p.length > 31) throw new Error("BLE advertising packet " + i + " is over 31 bytes");
          data[i] = new Uint8Array(p).buffer;
          nested = true;
        } else if (p instanceof ArrayBuffer || p instanceof Uint8Array) {
          if (p.length > 31 || p.byteLength > 31)
            throw new Error("BLE advertising packet " + i + " is over 31 bytes");
          nested = true;
        } else if (typeof p === "object" || p === undefined) nested = true;
      }
      if (!nested && data.length > 31) throw new Error("BLE advertising packet is over 31 bytes");
      list = nested ? data : [data];
    } else if (data instanceof ArrayBuffer || data instanceof Uint8Array) list = [data];
    else if (typeof data === "object" || data === undefined) list = [];
    else throw new Error("Expecting Array or Object, got " + typeof data);
    __nrf.adv = data;
    __nrf.opts = opts;
    __nrf.sets++;
    __nrf.connectable = conn;
    var t = __now();
    __say("ADV " + t + " " + list.length + " " + iv + " " + (conn ? 1 : 0));
    for (var j = 0; j < list.length; j++)
      if (list[j] && (list[j].length !== undefined || list[j].byteLength !== undefined))
        __say((conn ? "N " : "A ") + t + " " + j + " " + btoa(E.toString(list[j])));
  },
  setAddress: function (addr) {
    __mem("NRF.setAddress");
    if (typeof addr !== "string" || addr.length < 17) throw new Error("Invalid address");
    for (var i = 2; i < 17; i += 3) if (addr[i] !== ":") throw new Error("Invalid address");
    __nrf.addrs++;
    // Espruino's docs: setAddress restarts the radio stack (a disconnect, advertising restarts).
    __say("R " + __now() + " " + addr);
  },
  findDevices: function (cb, opts) {
    __mem("NRF.findDevices");
    if (typeof cb !== "function") throw new Error("Function not supplied");
    var ms = typeof opts === "number" ? opts : (opts && opts.timeout) || 2000;
    var filters = opts && typeof opts === "object" ? opts.filters : undefined;
    var heard = __beaconNow();
    __at(__H.w + ms, function () {
      var out = [];
      if (heard && __filterMatch(filters, 0x0590)) {
        var d = [];
        for (var i = 0; i < heard.length; i++) d.push(heard.charCodeAt(i));
        out.push({
          id: "aa:bb:cc:dd:ee:01 public",
          rssi: -60,
          manufacturer: 0x0590,
          manufacturerData: d,
        });
      }
      __say("SCAN " + __now() + " " + out.length);
      cb(out);
    });
  },
  setSecurity: function (o) {
    if (typeof o !== "object") throw new Error("Expecting an object");
  },
  on: function (ev, fn) {
    if (typeof fn !== "function") throw new Error("Function not supplied");
  },
  disconnect: function () {},
};

function __filterMatch(filters, company) {
  if (filters === undefined) return true;
  for (var i = 0; i < filters.length; i++) {
    var f = filters[i];
    if (!f.manufacturerData || f.manufacturerData[company] !== undefined) return true;
  }
  return false;
}

/** The newest beacon the gateway has sent by now (its time <= now, within the record step). */
function __beaconNow() {
  var S = require("Storage");
  var now = __now();
  var n = __C.beacons || 0;
  var found;
  while (__nrf.cur < n) {
    var r = S.read("liot.tb", __nrf.cur * 17, 17);
    if (!r) return undefined;
    var t =
      (r.charCodeAt(0) << 24) | (r.charCodeAt(1) << 16) | (r.charCodeAt(2) << 8) | r.charCodeAt(3);
    if (t > now) break;
    if (now - t <= __C.beaconFreshS) found = r.substring(4);
    __nrf.cur++;
  }
  if (found) return found;
  if (__nrf.cur > 0) {
    var p = S.read("liot.tb", (__nrf.cur - 1) * 17, 17);
    var tp =
      (p.charCodeAt(0) << 24) | (p.charCodeAt(1) << 16) | (p.charCodeAt(2) << 8) | p.charCodeAt(3);
    if (now - tp <= __C.beaconFreshS) return p.substring(4);
  }
  return undefined;
}

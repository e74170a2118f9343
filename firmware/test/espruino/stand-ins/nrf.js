/* eslint-disable no-undef, @typescript-eslint/no-unused-vars, @typescript-eslint/no-require-imports -- an Espruino script: its globals are the interpreter's */
// NRF (Bluetooth) stand-in: records every advertising change ("LIOT A"/"LIOT N" lines), every
// address ("LIOT R"), and answers scans with the scenario's time beacons (Storage file liot.tb,
// written by the harness: records of 4-byte big-endian unix time + the 13-byte beacon frame).
// Arguments are checked as Espruino checks them: a bad shape throws, as on a board.
var __nrf = { cur: 0, sets: 0, addrs: 0, connectable: false };

var __ADV_OPTS = {
  name: 1,
  showName: 1,
  discoverable: 1,
  connectable: 1,
  scannable: 1,
  interval: 1,
  manufacturer: 1,
  manufacturerData: 1,
  whenConnected: 1,
  phy: 1,
};

var NRF = {
  setAdvertising: function (data, opts) {
    __mem("NRF.setAdvertising");
    opts = opts || {};
    for (var k in opts) if (!__ADV_OPTS[k]) throw new Error("Unknown option " + k);
    var iv = opts.interval === undefined ? 375 : opts.interval;
    if (typeof iv !== "number" || iv < 7.5 || iv > 10240) throw new Error("Invalid interval");
    var conn = opts.connectable !== false;
    // The SoftDevice refuses non-connectable advertising faster than 100 ms.
    if (!conn && iv < 100) throw new Error("ERR 0x7 (INVALID_PARAM): interval < 100 ms");
    var list;
    if (Array.isArray(data) && data.length > 0 && typeof data[0] !== "number") list = data;
    else list = [data];
    for (var i = 0; i < list.length; i++) {
      var p = list[i];
      var bytes = Array.isArray(p) || p instanceof Uint8Array;
      if (!bytes && (typeof p !== "object" || p === null))
        throw new Error("BLE advertising data " + i + " is not bytes or an object");
      // Service data objects are packed by Espruino; raw packets must fit 31 bytes.
      if (bytes && p.length > 31) throw new Error("BLE advertising packet " + i + " too long");
    }
    __nrf.sets++;
    __nrf.connectable = conn;
    var t = __now();
    __say("ADV " + t + " " + list.length + " " + iv + " " + (conn ? 1 : 0));
    for (var j = 0; j < list.length; j++)
      if (typeof list[j] === "object" && list[j].length !== undefined)
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

// What protocol's decoders expect from a JavaScript engine and plain Lua lacks, installed before
// any decoder runs. Import this first in every Lua entry point.
//
// 1. bit32: typescript-to-lua (target Lua 5.2) turns & | ^ ~ << >> >>> into bit32 calls. Wireshark
//    <= 4.2 embeds Lua 5.1/5.2, which has bit32; Wireshark >= 4.4 embeds Lua 5.4, which has native
//    operators instead. Lua 5.2 cannot even parse those operators, so the 5.4 version is a string
//    compiled with load() only where bit32 is missing: one file loads in both generations.
// 2. Uint8Array: the decoders allocate typed arrays; this one keeps JavaScript's 0-based indexes
//    and .length, which is how typescript-to-lua compiles indexing of non-array types.

const NATIVE_BIT32 = `
local M = 4294967296
local function u(x) return math.floor(x) % M end
return {
  band = function(a, b) return u(a) & u(b) end,
  bor = function(a, b) return u(a) | u(b) end,
  bxor = function(a, b) return u(a) ~ u(b) end,
  bnot = function(a) return ~u(a) & 0xFFFFFFFF end,
  lshift = function(a, n) return (u(a) << n) & 0xFFFFFFFF end,
  rshift = function(a, n) return u(a) >> n end,
  arshift = function(a, n)
    local x = u(a)
    if x >= 0x80000000 then return ((x >> n) | ~(0xFFFFFFFF >> n)) & 0xFFFFFFFF end
    return x >> n
  end,
}`;

class LuaUint8Array {
  length: number;
  [index: number]: number;
  constructor(n: number) {
    this.length = Math.floor(n);
    for (let i = 0; i < this.length; i++) this[i] = 0;
  }
}

const globals = _G as unknown as Record<string, unknown>;
if (globals["bit32"] === undefined) {
  const [chunk, err] = load(NATIVE_BIT32, "=liot-bit32", "t");
  if (chunk === undefined) throw new Error("cannot install bit32: " + err);
  globals["bit32"] = (chunk as () => unknown)();
}
if (globals["Uint8Array"] === undefined) globals["Uint8Array"] = LuaUint8Array;

/** The Lua version running this file, e.g. "Lua 5.2" inside Wireshark 4.0. */
export const luaVersion = _VERSION;

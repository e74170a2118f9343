// Entry of dist/wireshark/leiden-iot-core.lua: the dissector's decoding core without Wireshark,
// for plain Lua 5.2-5.4 (the tests run it under lua5.4). One request per line on stdin:
//   keys <master key hex> <pseudonym scope> <device ids>
//   ble <unix seconds> <hex|->
//   lora <up|down> <fPort> <hex|->
//   aes <key hex> <block hex>        (prints "aes\t<hex>")
//   cmac <key hex> <message hex|->   (prints "cmac\t<hex>")
// Answers: "<abbrev>\t<value>" per field, "expert\t<kind>\t<text>", "info\t<summary>", then "end".
import { luaVersion } from "./lua-runtime.js";
import { softAes128 } from "../../src/aes128.js";
import { fromHex, toHex } from "../../src/bytes.js";
import { cmac, cmacKey } from "../../src/cmac.js";
import type { Leaf } from "./field-spec.js";
import { openDeployment, type Deployment } from "./keys.js";
import { presentBle, presentLora, type Presenter } from "./present.js";

function show(v: Leaf): string {
  if (typeof v === "number") return Math.floor(v) === v ? string.format("%d", v) : tostring(v);
  return tostring(v);
}

const lines: Presenter<string> = {
  leaf: (spec, value) => print(spec.abbrev + "\t" + show(value)),
  group: (spec) => spec.abbrev,
  expert: (kind, text) => print("expert\t" + kind + "\t" + text),
};

function bytesOf(hex: string): Uint8Array {
  return hex === "-" ? new Uint8Array(0) : (fromHex(hex) ?? new Uint8Array(0));
}

let deployment: Deployment | undefined = undefined;
print("ready\t" + luaVersion);
for (;;) {
  const line = io.read("*l") as string | undefined;
  if (line === undefined) break;
  const w = line.split(" ");
  if (w[0] === "keys") {
    const d = openDeployment({
      masterKey: w[1] ?? "",
      pseudonymScope: w[2] ?? "",
      deviceIds: w[3] ?? "",
    });
    if (typeof d === "string") print("error\t" + d);
    else deployment = d;
  } else if (w[0] === "ble") {
    print("info\t" + presentBle(bytesOf(w[2] ?? "-"), tonumber(w[1]) ?? 0, deployment, "", lines));
  } else if (w[0] === "aes") {
    print("aes\t" + toHex(softAes128(bytesOf(w[1] ?? "-"), bytesOf(w[2] ?? "-"))));
  } else if (w[0] === "cmac") {
    print("cmac\t" + toHex(cmac(cmacKey(softAes128, bytesOf(w[1] ?? "-")), bytesOf(w[2] ?? "-"))));
  } else if (w[0] === "lora") {
    const dir = w[1] === "down" ? "down" : "up";
    const info = presentLora(dir, tonumber(w[2]) ?? 0, bytesOf(w[3] ?? "-"), true, "", lines);
    print("info\t" + (info ?? "not a classroom frame"));
  } else {
    print("error\tunknown request: " + line);
  }
  print("end");
}

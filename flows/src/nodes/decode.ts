// liot-decode: SenML-CBOR envelope from an mqtt in node -> resolved records and a typed view.
// Output 1: band reports. Output 2: classroom readings and status.
import { viewEnvelope } from "../core/envelope-view.js";
import { short, type Node, type NodeDef, type RED } from "./red.js";

export default function register(RED: RED): void {
  function DecodeNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    setup(this, def);
  }
  function setup(node: Node, _def: NodeDef): void {
    let ok = 0;
    let bad = 0;
    node.on("input", (msg, send, done) => {
      const userProperties =
        msg.userProperties && typeof msg.userProperties === "object"
          ? (msg.userProperties as Record<string, unknown>)
          : undefined;
      const r = viewEnvelope(
        {
          payload: msg.payload,
          topic: typeof msg.topic === "string" ? msg.topic : undefined,
          contentType: typeof msg.contentType === "string" ? msg.contentType : undefined,
          userProperties,
        },
        Date.now() / 1000,
      );
      if (!r.ok) {
        bad++;
        node.status({ fill: "red", shape: "ring", text: short(r.reason + ": " + r.detail) });
        const err = new Error("liot-decode: " + r.reason + ": " + r.detail);
        msg.error = { reason: r.reason, detail: r.detail };
        node.error(err, msg);
        done();
        return;
      }
      ok++;
      const v = r.value;
      msg.kind = v.kind;
      msg.pseudonym = v.pseudonym;
      msg.records = v.records;
      msg.mqtt = { contentType: msg.contentType, userProperties: userProperties ?? {} };
      if (v.kind === "band_report") {
        msg.payload = Object.assign({}, v.band, { counter: v.counter });
        send([msg, null]);
      } else {
        msg.payload = Object.assign({ kind: v.kind }, v.classroom, { counter: v.counter });
        send([null, msg]);
      }
      node.status({
        fill: "green",
        shape: "dot",
        text: ok + " ok" + (bad ? ", " + bad + " bad" : ""),
      });
      done();
    });
  }
  RED.nodes.registerType("liot-decode", DecodeNode);
}

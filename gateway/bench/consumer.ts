// The bench's consumer, in its own process (as a back end would be) so it does not share the
// gateway's event loop. Prints "n <count>" lines; on stdin "lat-start" / "lat-stop" it records
// latency (arrival - the envelope's reception time, from the MQTT 5 user property rt) and then
// prints "lat <json>".
import mqtt from "mqtt";
import { createInterface } from "node:readline";

const url = process.argv[2]!;
const prefix = process.argv[3]!;
let n = 0;
let measuring = false;
const lat: number[] = [];
const c = mqtt.connect(url, { protocolVersion: 5 });
c.on("message", (_topic, _payload, packet) => {
  n++;
  if (!measuring) return;
  const rt = packet.properties?.userProperties?.rt;
  if (typeof rt === "string") lat.push(Date.now() - Number(rt) * 1000);
});
c.on("connect", () => {
  c.subscribe(
    [prefix + "/rewards/#", prefix + "/sensors/#", prefix + "/naive/#", prefix + "/ceiling/#"],
    { qos: 1 },
    () => process.stdout.write("ready\n"),
  );
});
setInterval(() => process.stdout.write(`n ${n}\n`), 20);
createInterface({ input: process.stdin }).on("line", (l) => {
  if (l === "lat-start") measuring = true;
  if (l === "lat-stop") {
    measuring = false;
    lat.sort((a, b) => a - b);
    const p = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))] ?? NaN;
    process.stdout.write(
      `lat ${JSON.stringify({ n: lat.length, p50: p(0.5), p99: p(0.99), max: lat[lat.length - 1] })}\n`,
    );
  }
  if (l === "exit") process.exit(0);
});

// Espruino-safe entry point (@leiden-iot/protocol/device): everything the firmware bundles, and
// what its Node tools (provisioning, the simulator) share with it. No zod, no cbor-x, no Node APIs,
// no Map/Set: firmware/src/build checks every bundle for that (source-check.ts on the TypeScript
// sources, bundle-check.ts on the bundled code).
export * from "./bytes.js";
export * from "./result.js";
export * from "./cmac.js";
export * from "./aes128.js";
export * from "./keys.js";
export * from "./device-config.js";
export * from "./ephemeral.js";
export * from "./local-time.js";
export * from "./band-advert.js";
export * from "./classroom-reading.js";
export * from "./classroom-advert.js";
export * from "./manufacturer-data.js";
export * from "./co2-signal.js";
export * from "./lora-uplink.js";
export * from "./lora-downlink.js";
export * from "./time-beacon.js";
export * from "./airtime.js";
export * from "./backoff.js";
export * from "./frame.js";
export * from "./live-line.js";

// Espruino-safe entry point: everything the firmware bundles. No zod, no cbor-x, no Node APIs,
// no Map/Set. The build's safety check (firmware/scripts) enforces this on the bundle.
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

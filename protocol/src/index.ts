// Node entry point: the device subset plus envelopes, schemas and the node:crypto AES adapter.
export * from "./device.js";
export * from "./pseudonym.js";
export * from "./topics.js";
export * from "./senml.js";
export * from "./envelope.js";
export * from "./envelope-cbor.js";
export * from "./envelope-read.js";
export * from "./schemas.js";
export { nodeAes128 } from "./adapters/node-aes.js";

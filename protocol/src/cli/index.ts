// `@leiden-iot/protocol/cli`: Node-only helpers shared by every command of the monorepo (the
// lowest package all of them import). Not part of the Espruino-safe `device` entry.
export * from "./command-line.js";
export * from "./did-you-mean.js";

// The project's epoch, 2020-01-01T00:00Z: day numbers count from it, and a device clock before it
// has not been set. Kept apart from local-time.ts so the Wireshark build (no regexes) can use it.

/** Days from 1970-01-01 to 2020-01-01. */
export const DAY_ZERO = 18262;
/** Unix seconds of 2020-01-01T00:00Z. */
export const EPOCH_2020_UNIX = DAY_ZERO * 86400;

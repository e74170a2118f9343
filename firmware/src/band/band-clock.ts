// Keeping the band's clock: restore after power loss, and accept signed gateway time beacons.
//
// The nRF52's 32 kHz crystal drifts up to +-20 ppm (~1.7 s/day, ~10 min/year). The band scans
// for a signed gateway time beacon for SCAN_MS once a day (hourly while the clock is not set) and
// steps its clock toward the beacon by at most MAX_SLEW_S per beacon. With daily syncs the error
// stays within seconds; after a month without a gateway it is still < 1 minute. The bound means a
// leaked time key can only drag clocks by MAX_SLEW_S a day, never jump them (and so never move
// steps to another day wholesale).

/** Unix seconds of 2020-01-01: anything before means the RTC restarted from 0 (power loss). */
export const EARLIEST_VALID_TIME = 1577836800;
/** Largest correction applied from one beacon when the clock is considered set. */
export const MAX_SLEW_S = 120;

export interface ClockDecision {
  /** New time to set, or null to leave the clock alone. */
  setTo: number | null;
  clockNotSet: boolean;
}

/**
 * At boot: if the RTC lost power, fall back to the last persisted time (or, with no readable
 * state, the firmware's build time: a date is needed to file steps under) and raise the flag.
 */
export function restoreClock(now: number, persisted: number, buildTime: number): ClockDecision {
  if (now >= EARLIEST_VALID_TIME && now >= persisted - 60)
    return { setTo: null, clockNotSet: false };
  if (persisted >= EARLIEST_VALID_TIME) return { setTo: persisted, clockNotSet: true };
  return { setTo: Math.max(buildTime, EARLIEST_VALID_TIME), clockNotSet: true };
}

/**
 * A verified beacon says `beacon`. With the clock not set, take it (it must not be older than
 * the last persisted time: a replayed old beacon cannot move us back). Otherwise step toward it
 * by at most MAX_SLEW_S.
 */
export function applyBeacon(
  now: number,
  beacon: number,
  clockNotSet: boolean,
  persisted: number,
): ClockDecision {
  if (clockNotSet) {
    if (beacon < persisted - 60) return { setTo: null, clockNotSet: true };
    return { setTo: beacon, clockNotSet: false };
  }
  const delta = beacon - now;
  if (Math.abs(delta) < 1) return { setTo: null, clockNotSet: false };
  const step = delta > MAX_SLEW_S ? MAX_SLEW_S : delta < -MAX_SLEW_S ? -MAX_SLEW_S : delta;
  return { setTo: now + step, clockNotSet: false };
}

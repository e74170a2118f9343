// A device first heard above FCnt 65535 (a fresh install, or gateway state lost) sends only the
// low 16 bits; its MIC covers all 32. On first contact only (no counter stored for any session
// of that DevAddr) the upper bits are searched, 0..FIRST_CONTACT_MAX_FCNT >> 16, and the lowest
// that verifies wins (a MIC verifies for the true counter, a forgery for none but with odds of
// 16 in 2^32). Each search costs up to 15 extra AES-CMACs per session, so searches draw from a
// token bucket: a flood of forged first-contact frames spends it and is refused as
// fcnt_search_limited (counted) instead of eating CPU; the genuine device's next uplink, once the
// bucket refills, is found. Beyond the bound an operator resets the device (`keys reprovision`).

/** 2^20 - 1: ten years of uplinks every five minutes. */
export const FIRST_CONTACT_MAX_FCNT = 0xfffff;
/** Default bucket: 60 searches, one more each second. */
export const FIRST_CONTACT_SEARCHES = 60;
export const FIRST_CONTACT_SEARCHES_PER_S = 1;

/** A token bucket: `take()` spends one search if there is one. */
export class SearchBudget {
  private tokens: number;
  private at: number;

  constructor(
    private readonly capacity = FIRST_CONTACT_SEARCHES,
    private readonly perSecond = FIRST_CONTACT_SEARCHES_PER_S,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = capacity;
    this.at = now();
  }

  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }

  available(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.at) / 1000) * this.perSecond);
    this.at = t;
  }
}

// Which device ids the enrolment page has handed out and what became of them. Pure: no I/O, the
// clock is passed in. An id is handed out once (never again, even if its band never answered: a
// band that was written but whose answer was lost still holds that id's key), recorded in the
// registry only after the band said it stored it, and "works" once the gateway's pipeline accepted
// a frame authenticated with its key.
export type EnrolKind = "band" | "classroom";

export type EnrolState = "reserved" | "enrolled" | "works" | "cancelled" | "expired";

export interface Enrolment {
  id: number;
  kind: EnrolKind;
  state: EnrolState;
  /** The id this band had before an explicit reset, if any. */
  replaces: number | null;
  reservedAt: number;
  expiresAt: number;
  enrolledAt: number | null;
  /** When the pipeline first accepted an authenticated frame from this id (unix seconds). */
  worksAt: number | null;
}

export interface RegisteredIds {
  ids(): Iterable<number>;
  kindOf(id: number): EnrolKind | undefined;
}

/** First id of each kind when the registry has none (the gateway simulator uses the same). */
export const FIRST_ID: Record<EnrolKind, number> = { band: 1, classroom: 100_000 };

export type ReserveResult =
  { ok: true; enrolment: Enrolment } | { ok: false; error: "needs_reset"; id: number | null };

export class EnrolBook {
  private readonly byId = new Map<number, Enrolment>();
  /** Highest id ever handed out per kind (persisted by the caller so a restart never reuses one). */
  readonly last: Record<EnrolKind, number>;

  constructor(
    private readonly registered: RegisteredIds,
    private readonly reserveSeconds: number,
    last: Partial<Record<EnrolKind, number>> = {},
  ) {
    this.last = { band: last.band ?? 0, classroom: last.classroom ?? 0 };
  }

  /** The next free id of a kind: above every registered and every handed-out id of that kind. */
  nextId(kind: EnrolKind): number {
    let max = Math.max(this.last[kind], FIRST_ID[kind] - 1);
    for (const id of this.registered.ids())
      if (this.registered.kindOf(id) === kind && id > max) max = id;
    let id = max + 1;
    while (this.registered.kindOf(id) !== undefined || this.byId.has(id)) id++;
    return id;
  }

  /**
   * Hands out a new id. `device` is what the band said of itself (liot.info()); a band that is
   * already enrolled gets a new id only with `reset: true` (the staff member confirmed it).
   */
  reserve(
    kind: EnrolKind,
    device: { enrolled: boolean; id: number | null },
    reset: boolean,
    now: number,
  ): ReserveResult {
    if (device.enrolled && !reset) return { ok: false, error: "needs_reset", id: device.id };
    const id = this.nextId(kind);
    this.last[kind] = id;
    const e: Enrolment = {
      id,
      kind,
      state: "reserved",
      replaces: device.enrolled ? device.id : null,
      reservedAt: now,
      expiresAt: now + this.reserveSeconds,
      enrolledAt: null,
      worksAt: null,
    };
    this.byId.set(id, e);
    return { ok: true, enrolment: e };
  }

  get(id: number, now: number): Enrolment | undefined {
    const e = this.byId.get(id);
    if (e && e.state === "reserved" && now > e.expiresAt) e.state = "expired";
    return e;
  }

  /**
   * The band stored id and key (it answered ok, or it reports this id after a lost answer).
   * Returns the enrolment to record, or a reason it cannot be recorded.
   */
  enrolled(
    id: number,
    now: number,
  ): { ok: true; enrolment: Enrolment } | { ok: false; error: string } {
    const e = this.get(id, now);
    if (!e) return { ok: false, error: "unknown_id" };
    if (e.state === "enrolled" || e.state === "works") return { ok: true, enrolment: e };
    if (e.state !== "reserved") return { ok: false, error: e.state };
    e.state = "enrolled";
    e.enrolledAt = now;
    return { ok: true, enrolment: e };
  }

  /** The band refused or was never written: the id stays used up, nothing is recorded. */
  cancel(id: number, now: number): Enrolment | undefined {
    const e = this.get(id, now);
    if (e && e.state === "reserved") e.state = "cancelled";
    return e;
  }

  /** The pipeline accepted an authenticated frame from this device. True when that is news. */
  heard(id: number, at: number): boolean {
    const e = this.byId.get(id);
    if (!e || e.state !== "enrolled") return false;
    e.state = "works";
    e.worksAt = at;
    return true;
  }
}

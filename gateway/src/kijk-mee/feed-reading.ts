// One reading of GET /feed's "reading" events: what the server sends (classroom-feed.ts) and the
// "Kijk mee" page reads (gateway/pages/kijk-mee/main.ts). Types only: the page bundles none of the
// server's code.

/** One reading as the page gets it (the same fields as a live line, in SI units). */
export interface FeedReading {
  /** The classroom's pseudonym (the dashboard's key; names.yaml gives it a name there). */
  room: string;
  /** Its room name from the gateway's registry (set at enrolment), or null: the page then shows
   * the pseudonym's first characters. */
  name: string | null;
  /** Unix seconds of the measurement. */
  t: number;
  co2: number | null;
  temperature: number | null;
  humidity: number | null;
  signal: string | null;
}

// The `kijkMee:` section of the gateway config: the classroom "Kijk mee" page and its live feed
// (the dashboard's MQTT classroom readings as server-sent events) on their own port. Off by
// default. Unlike the enrolment page it hands out nothing secret (the readings the teacher
// dashboard shows, by pseudonym), so it may listen on the school network for the digiboards;
// Web Bluetooth there needs https or localhost, else the page shows the feed.
import { z } from "zod";
import { strictObject } from "../config/strict-object.js";

export const kijkMeeSchema = strictObject({
  enabled: z.boolean().default(false),
  host: z.string().min(1).default("127.0.0.1"),
  port: z.number().int().min(0).max(65535).default(8471),
  /** Minutes of readings per classroom the feed replays to a page that opens (its chart). */
  historyMinutes: z.number().int().min(0).max(240).default(30),
});

export type KijkMeeConfig = z.infer<typeof kijkMeeSchema>;

// The `enrol:` section of the gateway config: the staff enrolment page on its own port. Off by
// default; loopback only, because Web Bluetooth needs a secure context (https or localhost) and the
// page hands out device keys.
import { z } from "zod";
import { strictObject } from "../config/strict-object.js";

const LOOPBACK = ["127.0.0.1", "::1", "localhost"];

export const enrolSchema = strictObject({
  /** Default false: the page and its API exist only when a site turns them on. */
  enabled: z.boolean().default(false),
  host: z
    .string()
    .refine((h) => LOOPBACK.includes(h), {
      message:
        "enrol.host must be 127.0.0.1, ::1 or localhost: the page hands out device keys and Web Bluetooth only works on localhost (or https)",
    })
    .default("127.0.0.1"),
  port: z.number().int().min(0).max(65535).default(8470),
  /** Daily step goal written to new bands. */
  goal: z.number().int().min(100).max(100_000).default(8000),
  /** Minutes a handed-out id waits for its band's answer before the page must start again. */
  reserveMinutes: z.number().int().min(1).max(120).default(10),
});

export type EnrolConfig = z.infer<typeof enrolSchema>;

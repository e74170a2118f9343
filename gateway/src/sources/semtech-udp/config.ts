// Config fragment for the gateway's YAML (sources.semtechUdp), to plug into the core's zod schema.
import { z } from "zod";

export const DEFAULT_SEMTECH_UDP_PORT = 1700;

export const semtechUdpConfigSchema = z
  .object({
    /** Address to listen on: "0.0.0.0" for every interface, "127.0.0.1" for local only. */
    bind: z.string().min(1).default("0.0.0.0"),
    /** UDP port; the packet forwarder's serv_port_up and serv_port_down both point here. */
    port: z.number().int().min(0).max(65535).default(DEFAULT_SEMTECH_UDP_PORT),
  })
  .strict();

export type SemtechUdpConfig = z.infer<typeof semtechUdpConfigSchema>;

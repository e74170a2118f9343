// The Kijk mee page's room names: the registry's classroom rooms (recorded at enrolment) by the
// pseudonym the feed's readings carry. Names stay on the school's gateway and its page: they are
// not published with the readings (beyond the gateway only pseudonyms).
import { nodeAes128, pseudonymOf } from "@leiden-iot/protocol";
import type { MemoryRegistry } from "../registry/registry.js";

/** pseudonym -> room name, rebuilt when the registry's set of named rooms changes. */
export function roomNameLookup(
  registry: Pick<MemoryRegistry, "roomNames" | "pseudonymKey">,
): (pseudonym: string) => string | undefined {
  let builtFrom: ReadonlyMap<number, string> | null = null;
  let builtSize = -1;
  let names = new Map<string, string>();
  return (pseudonym) => {
    const rooms = registry.roomNames();
    if (rooms !== builtFrom || rooms.size !== builtSize) {
      names = new Map();
      for (const [id, room] of rooms)
        names.set(pseudonymOf(nodeAes128, registry.pseudonymKey, id), room);
      builtFrom = rooms;
      builtSize = rooms.size;
    }
    return names.get(pseudonym);
  };
}

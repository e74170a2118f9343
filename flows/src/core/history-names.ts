// The classroom names table (names.yaml in the Node-RED user dir, see flows/README.md): which
// pseudonym is which room, for the dashboard. Pure: the node reads and parses the file.
//   classrooms:
//     3f2a9c1e-7b4d-8e21-9a0f-112233445566: Lokaal 2.12 (groep 8)
//     9b0c41d2: { nl: Gymzaal, en: Gym }          # a prefix of at least 8 characters is enough
import { NAME_PREFIX_MIN, type RoomName } from "./history.js";

const isText = (v: unknown) => typeof v === "string" && v.trim() !== "";

/** The names of a parsed names table, or a message naming the entry that is wrong. */
export function namesFromTable(
  doc: unknown,
  file = "names.yaml",
): Record<string, RoomName> | string {
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc))
    return file + ": expected `classrooms:` with one `pseudonym: name` line per room";
  const root = doc as Record<string, unknown>;
  const unknown = Object.keys(root).filter((k) => k !== "classrooms");
  if (unknown.length)
    return file + ": unknown key `" + unknown[0] + "` (the table goes under `classrooms:`)";
  const table = root.classrooms ?? {};
  if (typeof table !== "object" || table === null || Array.isArray(table))
    return file + ": `classrooms:` must map pseudonyms to names";
  const out: Record<string, RoomName> = {};
  for (const [key, v] of Object.entries(table as Record<string, unknown>)) {
    const where = file + ": classrooms." + key;
    if (!/^[0-9a-f-]+$/.test(key) || key.length < NAME_PREFIX_MIN)
      return (
        where + ": the key must be a pseudonym or its first " + NAME_PREFIX_MIN + "+ characters"
      );
    if (isText(v)) out[key] = (v as string).trim();
    else if (v && typeof v === "object" && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const extra = Object.keys(o).filter((k) => k !== "nl" && k !== "en");
      if (extra.length || !(isText(o.nl) || isText(o.en)))
        return where + ": give a name, or `{ nl: ..., en: ... }`";
      out[key] = {
        ...(isText(o.nl) ? { nl: String(o.nl) } : {}),
        ...(isText(o.en) ? { en: String(o.en) } : {}),
      };
    } else return where + ": give a name, or `{ nl: ..., en: ... }`";
  }
  return out;
}

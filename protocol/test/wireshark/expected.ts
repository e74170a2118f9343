// The fields a dissector must show for a vector, derived here independently of the dissector's
// own generator: "liot." + key path in snake_case, every leaf value as text, nulls absent.

export type FieldValues = Map<string, string[]>;

function snake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

function put(out: FieldValues, abbrev: string, value: string): void {
  out.set(abbrev, [...(out.get(abbrev) ?? []), value]);
}

/** booleans: "true"/"false" from the Lua CLI, "1"/"0" from tshark's JSON. */
export function expectedFields(
  decoded: Record<string, unknown>,
  prefix: string,
  booleans: [string, string],
  out: FieldValues = new Map(),
): FieldValues {
  for (const [key, value] of Object.entries(decoded)) {
    if (value === null || value === undefined) continue;
    const abbrev = prefix + "." + snake(key);
    if (Array.isArray(value)) {
      for (const item of value)
        expectedFields(item as Record<string, unknown>, abbrev, booleans, out);
    } else if (typeof value === "object") {
      expectedFields(value as Record<string, unknown>, abbrev, booleans, out);
    } else if (typeof value === "boolean") {
      put(out, abbrev, value ? booleans[0] : booleans[1]);
    } else {
      put(out, abbrev, String(value));
    }
  }
  return out;
}

/** Only the abbreviations that `expected` has, so extra dissector fields do not matter. */
export function pick(actual: FieldValues, expected: FieldValues): FieldValues {
  const out: FieldValues = new Map();
  for (const key of expected.keys()) out.set(key, actual.get(key) ?? []);
  return out;
}

// Objects of the configuration and registry files: an unknown key is an error that names the key
// and the nearest valid one ("brokr" -> did you mean "broker"?), never silently a default.
import { nearestName } from "@leiden-iot/protocol/cli";
import { z } from "zod";

/** The message of one unknown key among `valid` keys. */
export function unknownKeyMessage(key: string, valid: readonly string[]): string {
  const near = nearestName(key, valid);
  return near !== undefined
    ? `unknown key, did you mean "${near}"?`
    : `unknown key; valid here: ${valid.join(", ")}`;
}

export function strictObject<S extends z.ZodRawShape>(shape: S) {
  const valid = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? iss.keys.map((k) => `"${k}": ${unknownKeyMessage(k, valid)}`).join("; ")
        : undefined,
  });
}

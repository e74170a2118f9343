// Turns zod issues into messages that name the YAML path (or the LIOT_* variable that set it)
// and say how to fix it.
import type { z } from "zod";

/** fromEnv: config path -> the environment variable that set it. */
export function formatIssues(
  file: string,
  error: z.ZodError,
  fromEnv: ReadonlyMap<string, string> = new Map(),
): string {
  const lines = error.issues.map((i) => {
    const at = i.path.map(String);
    // one unknown key: name the key itself ("sources.blee"), the message says the nearest one
    if (i.code === "unrecognized_keys" && i.keys.length === 1) {
      const key = i.keys[0]!;
      return `  ${[...at, key].join(".")}: ${i.message.replace(`"${key}": `, "")}`;
    }
    const path = at.length ? at.join(".") : "(top level)";
    const env = fromEnv.get(at.join("."));
    return `  ${path}${env ? ` (set by ${env})` : ""}: ${i.message}`;
  });
  return `${file} is not valid:\n${lines.join("\n")}\nFix the values above (see gateway/README.md#configuration) and start again.`;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

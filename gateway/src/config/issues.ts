// Turns zod issues into messages that name the YAML path and say how to fix it.
import type { z } from "zod";

export function formatIssues(file: string, error: z.ZodError): string {
  const lines = error.issues.map((i) => {
    const path = i.path.length ? i.path.map(String).join(".") : "(top level)";
    return `  ${path}: ${i.message}`;
  });
  return `${file} is not valid:\n${lines.join("\n")}\nFix the values above (see gateway/README.md#configuration) and start again.`;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

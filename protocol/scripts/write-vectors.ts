// Writes protocol/vectors/*.json from scripts/vectors-spec.ts.
import { writeFileSync } from "node:fs";
import { VECTOR_FILES } from "./vectors-spec.js";

for (const [file, make] of Object.entries(VECTOR_FILES)) {
  const path = new URL("../vectors/" + file, import.meta.url);
  writeFileSync(path, JSON.stringify(make(), null, 2) + "\n");
  console.log("wrote protocol/vectors/" + file);
}

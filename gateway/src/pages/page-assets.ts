// The built page files (gateway/pages/, bundled by page-build.ts into dist/pages/).
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const GATEWAY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const PAGES_DIST = join(GATEWAY_ROOT, "dist", "pages");

export interface PageAssets {
  /** The file's bytes, or null when it is not built. */
  read(file: string): Buffer | null;
}

export function pageAssets(dir = PAGES_DIST): PageAssets {
  return {
    read(file) {
      try {
        return readFileSync(join(dir, file));
      } catch {
        return null;
      }
    },
  };
}

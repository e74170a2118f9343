// The built page files (gateway/pages/, bundled by scripts/build-pages.ts into dist/pages/) and
// the routes that serve them.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const GATEWAY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const PAGES_DIST = join(GATEWAY_ROOT, "dist", "pages");

export const PAGE_ROUTES: Record<string, { file: string; type: string }> = {
  "/": { file: "enrol.html", type: "text/html; charset=utf-8" },
  "/enrol.js": { file: "enrol.js", type: "text/javascript; charset=utf-8" },
  "/pages.css": { file: "pages.css", type: "text/css; charset=utf-8" },
};

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

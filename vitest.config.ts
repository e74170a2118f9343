import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// One vitest run covers every workspace package and the cross-package tests in test/.
// The "source" export condition makes packages import each other's TypeScript sources,
// so tests never run against a stale dist/.
export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"], externalConditions: ["source"] } },
  test: {
    projects: ["protocol", "firmware", "gateway", "flows", "hil-tests", "test"].map((dir) => ({
      extends: true,
      test: {
        name: dir,
        root: dir,
        include: ["**/*.test.ts"],
        exclude: ["**/node_modules/**", "**/dist/**"],
      },
    })),
    // Vitest's default is one worker per core less one: a single worker on a 2-core CI machine,
    // where the longest files mostly wait (a 60 s broker outage, Node-RED starting, brokers
    // restarting) and the suite ran file after file. Three files at a time keep both cores busy.
    maxWorkers: Math.max(3, availableParallelism() - 1),
    // a timeout catches a hang, it measures nothing: CPU-bound files (property tests, the
    // interpreter) share 2 cores with two other files here
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

// node-red-node-test-helper set up once per test file, with small promise helpers.
import { createRequire } from "node:module";
import helperModule from "node-red-node-test-helper";

const require = createRequire(import.meta.url);

export interface TestNode {
  on(event: string, cb: (msg: Record<string, unknown>) => void): void;
  receive(msg: Record<string, unknown>): void;
  status: { (s: unknown): void; lastCall?: unknown };
}

interface Helper {
  init(path: string, settings?: Record<string, unknown>): void;
  settings(s: Record<string, unknown>): void;
  startServer(): Promise<void>;
  stopServer(): Promise<void>;
  load(nodes: unknown, flow: unknown[], credentials?: Record<string, unknown>): Promise<void>;
  unload(): Promise<void>;
  getNode(id: string): TestNode;
}

export const helper = helperModule as unknown as Helper;
helper.init(require.resolve("node-red"));

/** Collects messages arriving at a helper node. */
export function collect(id: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  helper.getNode(id).on("input", (m) => out.push(m));
  return out;
}

/** Waits until `pred` holds, polling every 10 ms. */
export async function until(pred: () => boolean, ms = 3000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 10));
  }
}

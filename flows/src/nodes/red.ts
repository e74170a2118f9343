// The small part of the Node-RED runtime API these nodes use (no @types package is maintained).

export interface NodeMessage {
  [key: string]: unknown;
  _msgid?: string;
  payload?: unknown;
  topic?: string;
}

export type SendFn = (msg: NodeMessage | (NodeMessage | NodeMessage[] | null)[] | null) => void;
export type DoneFn = (err?: Error) => void;

export interface NodeContext {
  get(key: string, store?: string): unknown;
  set(key: string, value: unknown, store?: string): void;
  keys(store?: string): string[];
}

export interface NodeStatus {
  fill?: "red" | "green" | "yellow" | "blue" | "grey";
  shape?: "ring" | "dot";
  text?: string;
}

export interface Node {
  id: string;
  name?: string;
  credentials?: Record<string, string>;
  status(s: NodeStatus): void;
  error(err: unknown, msg?: NodeMessage): void;
  warn(text: unknown): void;
  log(text: unknown): void;
  send: SendFn;
  on(event: "input", cb: (msg: NodeMessage, send: SendFn, done: DoneFn) => void): void;
  on(event: "close", cb: (removed: boolean, done: () => void) => void): void;
  context(): NodeContext;
}

export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  [key: string]: unknown;
}

export interface RED {
  nodes: {
    createNode(node: unknown, def: NodeDef): void;
    registerType(
      type: string,
      ctor: (this: Node, def: NodeDef) => void,
      opts?: { credentials?: Record<string, { type: "text" | "password" }> },
    ): void;
  };
  settings: { userDir?: string; [key: string]: unknown };
  _(key: string, subs?: Record<string, unknown>): string;
}

/** A number from an editor field, or the fallback when empty or not a number. */
export function num(v: unknown, fallback: number): number {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : fallback;
}

/** Context store name from the editor ("" = the default store). */
export function storeName(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

/** Short text for a node status (Node-RED shows about 30 characters well). */
export function short(text: string, max = 48): string {
  return text.length > max ? text.substring(0, max - 1) + "…" : text;
}

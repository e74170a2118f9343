// Checks a built bundle for what Espruino lacks at run time: global APIs (Map, Set, Symbol...),
// static methods (Array.from, Object.freeze...), Promise.finally, syntax that slipped through, and
// calls that run before the `function` statement defining them (Espruino does not hoist).
import * as acorn from "acorn";
import * as walk from "acorn-walk";
import type { Finding } from "./source-check.js";
import type { SourceMapReader } from "./source-map.js";

type Node = acorn.Node & Record<string, unknown>;

const MISSING_GLOBALS: Record<string, string> = {
  Map: "use a plain object keyed by string, or parallel arrays",
  Set: "use a plain object {key: true} or an array with indexOf",
  WeakMap: "store the value on the object itself",
  WeakSet: "store a flag on the object itself",
  Symbol: "use a string key",
  Proxy: "write the accessor explicitly",
  BigInt: "use two 32-bit numbers",
};

const MISSING_STATICS: Record<string, string> = {
  "Array.from": "copy with a for loop (or Array.prototype.slice.call for array-likes)",
  "Array.of": "use an array literal",
  "Object.freeze": "drop it (document the object as read-only)",
  "Object.fromEntries": "build the object in a loop",
  "Number.isInteger": "use `v === Math.floor(v)` (protocol's isIntIn)",
  "Number.isSafeInteger": "compare with Math.floor and a range",
  "Math.trunc": "use `v < 0 ? Math.ceil(v) : Math.floor(v)`",
};

const SYNTAX: Record<string, string> = {
  ChainExpression: "optional chaining ?. : test for null explicitly",
  AwaitExpression: "await: use callbacks or Promise.then",
  YieldExpression: "generators: return an array",
  SpreadElement: "spread: copy with a loop or use .apply",
  RestElement: "rest: pass an array",
  ObjectPattern: "destructuring: read fields one by one",
  ArrayPattern: "destructuring: read elements one by one",
  AssignmentPattern: "default parameter: test for undefined inside the function",
  LabeledStatement: "label: use a flag variable",
};

export interface BundleCheckOptions {
  file: string;
  map?: SourceMapReader;
}

export function checkBundle(code: string, opts: BundleCheckOptions): Finding[] {
  const out: Finding[] = [];
  let ast: Node;
  try {
    ast = acorn.parse(code, {
      ecmaVersion: 2022,
      sourceType: "script",
      locations: true,
    }) as unknown as Node;
  } catch (e) {
    return [
      {
        file: opts.file,
        line: 0,
        column: 0,
        rule: "parse",
        message: "bundle does not parse as ES2022 script: " + (e as Error).message,
      },
    ];
  }
  const add = (node: acorn.Node, rule: string, message: string): void => {
    const loc = node.loc!.start;
    const m = opts.map ? opts.map.lookup(loc.line, loc.column) : null;
    out.push({
      file: m ? m.source : opts.file,
      line: m ? m.line : loc.line,
      column: m ? 0 : loc.column + 1,
      rule,
      message: message + (m ? " (bundle " + opts.file + ":" + loc.line + ")" : ""),
    });
  };

  walk.fullAncestor(ast, (node, _state, ancestors) => {
    const n = node as Node;
    const parent = ancestors[ancestors.length - 2] as Node | undefined;
    const syn = SYNTAX[n.type];
    if (syn) add(n, "syntax", "Espruino lacks " + syn);
    if (n.type === "Property" && n.computed) add(n, "syntax", "Espruino lacks computed keys");
    if (
      (n.type === "FunctionDeclaration" ||
        n.type === "FunctionExpression" ||
        n.type === "ArrowFunctionExpression") &&
      n.async
    )
      add(n, "syntax", "Espruino lacks async functions: use callbacks");
    if ((n.type === "FunctionDeclaration" || n.type === "FunctionExpression") && n.generator)
      add(n, "syntax", "Espruino lacks generators");
    if (n.type === "Identifier") {
      const name = n.name as string;
      const fix = MISSING_GLOBALS[name];
      if (fix && isGlobalReference(n, parent))
        add(n, "api", "Espruino has no " + name + ": " + fix);
    }
    if (n.type === "MemberExpression" && !n.computed) {
      const obj = n.object as Node;
      const prop = n.property as Node;
      if (obj.type === "Identifier") {
        const key = (obj.name as string) + "." + (prop.name as string);
        const fix = MISSING_STATICS[key];
        if (fix) add(n, "api", "Espruino has no " + key + ": " + fix);
      }
      if (prop.name === "finally")
        add(
          prop,
          "api",
          "Espruino has no Promise.prototype.finally: call the cleanup in both then branches",
        );
    }
  });

  checkHoisting(ast, add);
  return out;
}

function isGlobalReference(n: Node, parent: Node | undefined): boolean {
  if (!parent) return true;
  if (parent.type === "MemberExpression" && parent.property === n && !parent.computed) return false;
  if (parent.type === "Property" && parent.key === n && !parent.computed) return false;
  if (parent.type === "MethodDefinition" || parent.type === "PropertyDefinition") return false;
  return true;
}

// --- hoisting -------------------------------------------------------------------------------

function isFunction(n: Node): boolean {
  return (
    n.type === "FunctionDeclaration" ||
    n.type === "FunctionExpression" ||
    n.type === "ArrowFunctionExpression"
  );
}

/** Names called by code that runs immediately when `root` runs: not inside nested functions,
 * except immediately invoked ones. */
function immediateCalls(root: Node, skipRootFunction: boolean): { name: string; node: Node }[] {
  const calls: { name: string; node: Node }[] = [];
  const visit = (n: Node, isRoot: boolean, invoked: boolean): void => {
    if (!n || typeof n.type !== "string") return;
    if (isFunction(n) && !(isRoot && skipRootFunction) && !invoked) return;
    if (n.type === "CallExpression") {
      const callee = n.callee as Node;
      if (callee.type === "Identifier") calls.push({ name: callee.name as string, node: n });
      visit(callee, false, isFunction(callee));
      for (const a of n.arguments as Node[]) visit(a, false, false);
      return;
    }
    for (const key of Object.keys(n)) {
      if (key === "loc" || key === "type") continue;
      const v = n[key];
      if (Array.isArray(v)) {
        for (const c of v)
          if (c && typeof c === "object" && typeof (c as Node).type === "string")
            visit(c as Node, false, false);
      } else if (v && typeof v === "object" && typeof (v as Node).type === "string")
        visit(v as Node, false, false);
    }
  };
  visit(root, true, false);
  return calls;
}

function checkHoisting(ast: Node, add: (n: acorn.Node, rule: string, msg: string) => void): void {
  const lists: Node[][] = [];
  walk.full(ast, (node) => {
    const n = node as Node;
    if (n.type === "Program" || n.type === "BlockStatement" || n.type === "StaticBlock")
      lists.push(n.body as Node[]);
    if (n.type === "SwitchCase") lists.push(n.consequent as Node[]);
  });
  for (const body of lists) {
    const declIndex: Record<string, number> = {};
    const declNode: Record<string, Node> = {};
    body.forEach((s, i) => {
      if (s.type === "FunctionDeclaration" && s.id) {
        const name = (s.id as Node).name as string;
        declIndex[name] = i;
        declNode[name] = s;
      }
    });
    if (Object.keys(declIndex).length === 0) continue;
    const closure = (name: string, seen: Record<string, boolean>): string[] => {
      if (seen[name]) return [];
      seen[name] = true;
      const fn = declNode[name];
      if (!fn) return [];
      const res: string[] = [];
      for (const c of immediateCalls(fn, true)) {
        if (declIndex[c.name] === undefined) continue;
        res.push(c.name);
        for (const x of closure(c.name, seen)) res.push(x);
      }
      return res;
    };
    body.forEach((s, i) => {
      if (s.type === "FunctionDeclaration") return;
      for (const c of immediateCalls(s, false)) {
        const at = declIndex[c.name];
        if (at === undefined) continue;
        if (at > i) {
          add(
            c.node,
            "hoisting",
            "`" +
              c.name +
              "()` is called before `function " +
              c.name +
              "` is defined: Espruino does not hoist functions; move the definition above this call",
          );
          continue;
        }
        for (const inner of closure(c.name, {})) {
          if (declIndex[inner]! > i)
            add(
              c.node,
              "hoisting",
              "`" +
                c.name +
                "()` runs `" +
                inner +
                "()` before `function " +
                inner +
                "` is defined: Espruino does not hoist functions; move the definition above this call",
            );
        }
      }
    });
  }
}

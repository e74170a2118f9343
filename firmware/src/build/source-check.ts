// Syntax guard on the TypeScript sources, before esbuild gets a chance to lower anything.
// esbuild with `supported: {destructuring: false, ...}` silently rewrites some constructs
// (destructuring, default/rest parameters, spread) into ES5 code that works; we want the build to
// FAIL instead, so the source stays obviously Espruino-shaped and nobody relies on helpers that
// bloat the bundle. Parsing with the TypeScript compiler gives exact file:line positions.
import ts from "typescript";

export interface Finding {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
}

interface Rule {
  rule: string;
  message: string;
}

const FIX = {
  destructuring: {
    rule: "destructuring",
    message:
      "Espruino has no destructuring: read the fields one by one (const a = o.a; const b = o.b)",
  },
  defaultParam: {
    rule: "default-argument",
    message:
      "Espruino has no default parameters: make the parameter optional and test `if (x === undefined) x = ...`",
  },
  rest: {
    rule: "rest-argument",
    message: "Espruino has no rest parameters/elements: pass an array instead",
  },
  spread: {
    rule: "spread",
    message:
      "Espruino has no spread (...): copy with a loop, Object.assign, or Function.prototype.apply",
  },
  asyncFn: {
    rule: "async-await",
    message: "Espruino has no async/await: use callbacks or Promise.then",
  },
  generator: {
    rule: "generator",
    message: "Espruino has no generators: return an array or use a callback",
  },
  computedKey: {
    rule: "computed-key",
    message: "Espruino has no computed keys {[k]: v}: create the object, then assign o[k] = v",
  },
  label: {
    rule: "label",
    message: "Espruino has no labelled statements: use a flag variable or return from a function",
  },
  optionalChain: {
    rule: "optional-chaining",
    message: "Avoid ?. on Espruino (not in every firmware we support): test for null explicitly",
  },
} satisfies Record<string, Rule>;

function isBindingPattern(n: ts.Node): boolean {
  return ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n);
}

/** Checks one TypeScript (or JavaScript) source text. Pure: no file system. */
export function checkSourceSyntax(file: string, text: string): Finding[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Finding[] = [];
  const add = (node: ts.Node, r: Rule): void => {
    const p = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    out.push({ file, line: p.line + 1, column: p.character + 1, rule: r.rule, message: r.message });
  };
  const visit = (n: ts.Node): void => {
    // Type-only syntax never reaches the bundle.
    if (
      ts.isTypeNode(n) ||
      ts.isInterfaceDeclaration(n) ||
      ts.isTypeAliasDeclaration(n) ||
      ts.isImportDeclaration(n) ||
      ts.isExportDeclaration(n)
    )
      return;
    if (isBindingPattern(n)) add(n, FIX.destructuring);
    else if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      (ts.isObjectLiteralExpression(n.left) || ts.isArrayLiteralExpression(n.left))
    )
      add(n.left, FIX.destructuring);
    else if (ts.isParameter(n)) {
      if (n.initializer) add(n, FIX.defaultParam);
      if (n.dotDotDotToken) add(n, FIX.rest);
    } else if (ts.isSpreadElement(n) || ts.isSpreadAssignment(n)) add(n, FIX.spread);
    else if (ts.isComputedPropertyName(n)) add(n, FIX.computedKey);
    else if (ts.isLabeledStatement(n)) add(n, FIX.label);
    else if (ts.isAwaitExpression(n)) add(n, FIX.asyncFn);
    else if (ts.isYieldExpression(n)) add(n, FIX.generator);
    else if (
      (ts.isPropertyAccessExpression(n) ||
        ts.isElementAccessExpression(n) ||
        ts.isCallExpression(n)) &&
      n.questionDotToken
    )
      add(n, FIX.optionalChain);
    if (ts.isFunctionLike(n)) {
      const mods = ts.canHaveModifiers(n) ? ts.getModifiers(n) : undefined;
      if (mods && mods.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) add(n, FIX.asyncFn);
      if (
        (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n)) &&
        n.asteriskToken
      )
        add(n, FIX.generator);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

export function formatFinding(f: Finding): string {
  return f.file + ":" + f.line + ":" + f.column + " [" + f.rule + "] " + f.message;
}

// Checks typescript-to-lua does not make itself: JavaScript that compiles to Lua silently meaning
// something else. typescript-to-lua already flags numbers used as `if`/`?:` conditions; this adds
// - a number under `!`, `&&` or `||` (0 is true in Lua, so `!(x & 128)` is always false there);
// - a plain array passed where bytes to read (ByteSource, Uint8Array) are expected:
//   typescript-to-lua indexes arrays from 1 and other indexables from 0, so the callee would read
//   the wrong bytes. Writes into a ByteSink are exempt: the LoRa uplink encoder builds a plain
//   array for the ES5 LNS codec, and no encoder runs in the dissector.
import ts from "typescript";
import type * as tstl from "typescript-to-lua";

function isNumberish(t: ts.Type): boolean {
  const all = t.isUnion() ? t.types : [t];
  return all.some((p) => (p.flags & ts.TypeFlags.NumberLike) !== 0);
}

function isArrayish(checker: ts.TypeChecker, t: ts.Type): boolean {
  const all = t.isUnion() ? t.types : [t];
  return all.some((p) => checker.isArrayType(p) || checker.isTupleType(p));
}

/** `n || 0` means the same in both languages: JavaScript's 0 falls back to 0, Lua keeps 0. */
function isZeroDefault(node: ts.BinaryExpression): boolean {
  return (
    node.operatorToken.kind === ts.SyntaxKind.BarBarToken &&
    ts.isNumericLiteral(node.right) &&
    node.right.text === "0"
  );
}

function diagnostic(node: ts.Node, text: string): ts.Diagnostic {
  const file = node.getSourceFile();
  return {
    file,
    start: node.getStart(file),
    length: node.getWidth(file),
    messageText: text,
    category: ts.DiagnosticCategory.Error,
    code: 9001,
  };
}

function checkNode(checker: ts.TypeChecker, node: ts.Node, out: ts.Diagnostic[]): void {
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
    if (isNumberish(checker.getTypeAtLocation(node.operand)))
      out.push(diagnostic(node, "`!` on a number: 0 is true in Lua; compare with === 0"));
  }
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
      node.operatorToken.kind === ts.SyntaxKind.BarBarToken) &&
    isNumberish(checker.getTypeAtLocation(node.left)) &&
    !isZeroDefault(node)
  ) {
    out.push(
      diagnostic(node.left, "number as a condition of && or ||: 0 is true in Lua; compare it"),
    );
  }
  if (ts.isCallExpression(node)) {
    const signature = checker.getResolvedSignature(node);
    node.arguments.forEach((arg, i) => {
      const param = signature?.parameters[i];
      if (!param) return;
      const paramType = checker.getTypeOfSymbolAtLocation(param, node);
      const argType = checker.getTypeAtLocation(arg);
      const isSink =
        paramType.aliasSymbol?.name === "ByteSink" || paramType.getSymbol()?.name === "ByteSink";
      if (
        isArrayish(checker, argType) &&
        !isArrayish(checker, paramType) &&
        !isSink &&
        checker.getIndexInfoOfType(paramType, ts.IndexKind.Number)
      )
        out.push(
          diagnostic(arg, "plain array passed as bytes: Lua arrays start at 1; pass a Uint8Array"),
        );
    });
  }
  ts.forEachChild(node, (child) => checkNode(checker, child, out));
}

export const luaSubsetCheck: tstl.Plugin = {
  beforeTransform(program) {
    const checker = program.getTypeChecker();
    const out: ts.Diagnostic[] = [];
    for (const file of program.getSourceFiles()) {
      if (file.isDeclarationFile || file.fileName.includes("/node_modules/")) continue;
      checkNode(checker, file, out);
    }
    return out;
  },
};

// The one command-line convention of every Leiden IoT command (gateway, firmware scripts, flows,
// hil), on node:util parseArgs:
//   -h/--help        usage with examples on stdout, exit 0, before the command does anything
//   a bad option     one line on stderr naming it (and the valid choices) and pointing at
//                    --help, exit 2, no stack trace
//   --name value, --name=value, booleans without a value, typed values (integer, number, choices)
// The command declares its options once (defineCommand); parsing is pure (parseCommandLine) and
// the thin edge (parseOrExit) prints and exits.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { didYouMean } from "./did-you-mean.js";

export interface OptionSpec {
  /** "string" (default), "boolean", "integer" or "number". */
  readonly kind?: "string" | "boolean" | "integer" | "number";
  readonly short?: string;
  /** The only values allowed (strings). */
  readonly choices?: readonly string[];
  readonly default?: string | number | boolean;
  /** Bounds for integer and number options. */
  readonly min?: number;
  readonly max?: number;
  /** Placeholder in the usage, e.g. "<file>". */
  readonly value?: string;
  readonly help: string;
}

export interface PositionalSpec {
  readonly name: string;
  readonly required?: boolean;
  /** Any number of these (the last positional only). */
  readonly variadic?: boolean;
  readonly help: string;
}

export interface CommandSpec<O extends Readonly<Record<string, OptionSpec>>> {
  /** How the user runs it, e.g. "npm run sim --" or "npm run gateway -- start". */
  readonly command: string;
  readonly summary: string;
  readonly positionals?: readonly PositionalSpec[];
  readonly options: O;
  readonly examples?: readonly string[];
  /** Extra paragraphs after the options (environment variables, what it needs). */
  readonly notes?: string;
}

type ValueOf<S> = S extends { kind: "boolean" }
  ? boolean
  : S extends { kind: "integer" | "number" }
    ? S extends { default: number }
      ? number
      : number | undefined
    : S extends { choices: readonly (infer C)[] }
      ? S extends { default: string }
        ? C
        : C | undefined
      : S extends { default: string }
        ? string
        : string | undefined;

export type OptionValues<O> = { -readonly [K in keyof O]: ValueOf<O[K]> };

export interface ParsedCommandLine<O> {
  values: OptionValues<O>;
  positionals: string[];
}

export type CommandLineOutcome<O> =
  | { kind: "help"; text: string }
  | { kind: "error"; message: string; hint: string }
  | ({ kind: "ok" } & ParsedCommandLine<O>);

/** Declares a command; `const` keeps the option literals so values are typed. */
export function defineCommand<const O extends Readonly<Record<string, OptionSpec>>>(
  spec: CommandSpec<O>,
): CommandSpec<O> {
  return spec;
}

function placeholder(name: string, o: OptionSpec): string {
  if (o.kind === "boolean") return "";
  if (o.value) return " " + o.value;
  if (o.choices) return " " + o.choices.join("|");
  return " <" + (o.kind === "integer" || o.kind === "number" ? "n" : name) + ">";
}

function positionalSynopsis(p: PositionalSpec): string {
  const n = `<${p.name}>${p.variadic ? "..." : ""}`;
  return p.required ? n : `[${n}]`;
}

/** The one-line synopsis: "npm run sim -- [options]". */
export function synopsis(spec: CommandSpec<Readonly<Record<string, OptionSpec>>>): string {
  const pos = (spec.positionals ?? []).map(positionalSynopsis).join(" ");
  return `${spec.command}${pos ? " " + pos : ""} [options]`;
}

/** The full usage text printed by --help. */
export function formatUsage(spec: CommandSpec<Readonly<Record<string, OptionSpec>>>): string {
  const rows: [string, string][] = [];
  for (const p of spec.positionals ?? []) rows.push([`<${p.name}>`, p.help]);
  for (const [name, o] of Object.entries(spec.options)) {
    const flag = `${o.short ? `-${o.short}, ` : ""}--${name}${placeholder(name, o)}`;
    const dflt = o.default !== undefined && o.default !== false ? ` (default ${o.default})` : "";
    rows.push([flag, o.help + dflt]);
  }
  rows.push(["-h, --help", "this text"]);
  const width = Math.min(32, Math.max(...rows.map((r) => r[0].length)));
  const lines = [`usage: ${synopsis(spec)}`, "", spec.summary, ""];
  for (const [flag, help] of rows)
    lines.push(
      flag.length > width
        ? `  ${flag}\n  ${" ".repeat(width)}  ${help}`
        : `  ${flag.padEnd(width)}  ${help}`,
    );
  if (spec.notes) lines.push("", spec.notes.trimEnd());
  if (spec.examples?.length) lines.push("", "examples:", ...spec.examples.map((e) => "  " + e));
  return lines.join("\n") + "\n";
}

/** The end of every usage error's line: where the options are explained. */
export function usageHint(spec: CommandSpec<Readonly<Record<string, OptionSpec>>>): string {
  return `see \`${spec.command} --help\``;
}

class Problem extends Error {}

function typedValue(name: string, o: OptionSpec, raw: string): string | number {
  if (o.choices && !o.choices.includes(raw))
    throw new Problem(
      `--${name} must be one of ${o.choices.join(", ")}, not "${raw}"${didYouMean(raw, o.choices)}`,
    );
  if (o.kind !== "integer" && o.kind !== "number") return raw;
  const n = raw.trim() === "" ? NaN : Number(raw);
  const bounds =
    o.min !== undefined && o.max !== undefined
      ? ` from ${o.min} to ${o.max}`
      : o.min !== undefined
        ? ` >= ${o.min}`
        : o.max !== undefined
          ? ` <= ${o.max}`
          : "";
  const what = o.kind === "integer" ? "a whole number" : "a number";
  if (
    !Number.isFinite(n) ||
    (o.kind === "integer" && !Number.isInteger(n)) ||
    (o.min !== undefined && n < o.min) ||
    (o.max !== undefined && n > o.max)
  )
    throw new Problem(`--${name} must be ${what}${bounds}, not "${raw}"`);
  return n;
}

/** Pure: argv (without node and the script) to help, an error, or typed values. */
export function parseCommandLine<O extends Readonly<Record<string, OptionSpec>>>(
  spec: CommandSpec<O>,
  argv: readonly string[],
): CommandLineOutcome<O> {
  const end = argv.indexOf("--");
  const head = end < 0 ? argv : argv.slice(0, end);
  if (head.includes("--help") || head.includes("-h"))
    return { kind: "help", text: formatUsage(spec) };
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const [name, o] of Object.entries(spec.options))
    options[name] = {
      type: o.kind === "boolean" ? "boolean" : "string",
      ...(o.short ? { short: o.short } : {}),
    };
  const known = Object.keys(spec.options).map((n) => "--" + n);
  try {
    const { tokens } = parseArgs({
      args: [...argv],
      options,
      strict: false,
      allowPositionals: true,
      tokens: true,
    });
    const values: Record<string, unknown> = {};
    const positionals: string[] = [];
    for (const t of tokens) {
      if (t.kind === "positional") {
        positionals.push(t.value);
        continue;
      }
      if (t.kind !== "option") continue;
      const o = spec.options[t.name];
      if (!o)
        throw new Problem(
          `unknown option ${t.rawName}${didYouMean("--" + t.name, known, (c) => c)}`,
        );
      if (o.kind === "boolean") {
        if (t.value !== undefined) throw new Problem(`${t.rawName} takes no value`);
        values[t.name] = true;
        continue;
      }
      if (t.value === undefined || (!t.inlineValue && t.value.startsWith("--")))
        throw new Problem(`${t.rawName} needs a value${placeholder(t.name, o)}`);
      values[t.name] = typedValue(t.name, o, t.value);
    }
    for (const [name, o] of Object.entries(spec.options))
      if (values[name] === undefined) values[name] = o.kind === "boolean" ? !!o.default : o.default;
    const pos = spec.positionals ?? [];
    const variadic = pos.length > 0 && pos[pos.length - 1]!.variadic;
    if (!variadic && positionals.length > pos.length)
      throw new Problem(
        pos.length === 0
          ? `unexpected argument "${positionals[0]}": this command takes options only`
          : `unexpected argument "${positionals[pos.length]}"`,
      );
    const missing = pos.find((p, i) => p.required && positionals[i] === undefined);
    if (missing) throw new Problem(`missing <${missing.name}>: ${missing.help}`);
    return { kind: "ok", values: values as OptionValues<O>, positionals };
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    return { kind: "error", message: e.message, hint: usageHint(spec) };
  }
}

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  exit(code: number): never;
}

/** Prefix of usage errors: "sim: --board must be ...". */
function label(spec: CommandSpec<Readonly<Record<string, OptionSpec>>>): string {
  return spec.command
    .replace(/^npm run (-w \S+ )?/, "")
    .replace(/ --( |$)/, " ")
    .trim();
}

/** The edge: help -> stdout, exit 0; error -> one line on stderr, exit 2; else the values. */
export function parseOrExit<O extends Readonly<Record<string, OptionSpec>>>(
  spec: CommandSpec<O>,
  argv: readonly string[],
  io: CliIo = process,
): ParsedCommandLine<O> {
  const r = parseCommandLine(spec, argv);
  if (r.kind === "help") {
    io.stdout.write(r.text);
    return io.exit(0);
  }
  if (r.kind === "error") return usageError(spec, r.message, io);
  return { values: r.values, positionals: r.positionals };
}

/** A problem with the command line found after parsing (e.g. a required option): exit 2. */
export function usageError(
  spec: CommandSpec<Readonly<Record<string, OptionSpec>>>,
  message: string,
  io: CliIo = process,
): never {
  io.stderr.write(`${label(spec)}: ${message}; ${usageHint(spec)}\n`);
  return io.exit(2);
}

/**
 * Where the user ran the command: npm -w runs scripts in the package folder and passes the
 * user's directory as INIT_CWD. Relative paths on the command line resolve from here.
 */
export function userCwd(env: Record<string, string | undefined> = process.env): string {
  return env.INIT_CWD || process.cwd();
}

/** A path from the command line or environment, absolute, resolved from the user's directory. */
export function userPath(p: string, env: Record<string, string | undefined> = process.env): string {
  return resolve(userCwd(env), p);
}

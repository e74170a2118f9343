// A dissector field per key of protocol's decoded objects. The specs are generated at build time
// from protocol's TypeScript types (scripts/wireshark-fields.ts), so a field added to or renamed in
// a decoder shows up in Wireshark without editing this glue.

/** number, string and boolean are leaves; group is a nested object; list is an array of objects. */
export type FieldType = "number" | "string" | "boolean" | "group" | "list";

export interface FieldSpec {
  /** Key in the decoded object, e.g. "batteryMv". */
  key: string;
  /** Wireshark abbreviation, e.g. "liot.battery_mv". */
  abbrev: string;
  /** Display name, e.g. "Battery mv". */
  name: string;
  type: FieldType;
  /** The TSDoc of the property, if any. */
  blurb: string;
  children: FieldSpec[];
}

export type Leaf = number | string | boolean;

/** What the walk does with each value: a tree item in Wireshark, a line of text in the CLI. */
export interface FieldVisitor<N> {
  leaf: (spec: FieldSpec, value: Leaf, parent: N) => void;
  group: (spec: FieldSpec, label: string, parent: N) => N;
}

/** Visits every present field of a decoded value in spec order (null or absent keys are skipped). */
export function walkFields<N>(
  specs: FieldSpec[],
  value: Record<string, unknown>,
  parent: N,
  visitor: FieldVisitor<N>,
): void {
  for (const spec of specs) {
    const x = value[spec.key];
    if (x === undefined || x === null) continue;
    if (spec.type === "group") {
      const node = visitor.group(spec, spec.name, parent);
      walkFields(spec.children, x as Record<string, unknown>, node, visitor);
    } else if (spec.type === "list") {
      const items = x as Record<string, unknown>[];
      for (let i = 0; i < items.length; i++) {
        const node = visitor.group(spec, spec.name + " " + (i + 1), parent);
        walkFields(spec.children, items[i]!, node, visitor);
      }
    } else {
      visitor.leaf(spec, x as Leaf, parent);
    }
  }
}

/** Every spec in the tree, depth first: each needs one registered ProtoField. */
export function allSpecs(specs: FieldSpec[], out: FieldSpec[]): FieldSpec[] {
  for (const spec of specs) {
    out.push(spec);
    allSpecs(spec.children, out);
  }
  return out;
}

// The part of Wireshark's Lua API (https://www.wireshark.org/docs/wsdg_html_chunked/wsluarm.html)
// the dissector uses, as TypeScript declarations for typescript-to-lua. Methods that Lua calls
// with `:` declare `this`; tables of functions (ProtoField, Pref, ...) are `this: void`.
// Checked against Wireshark 4.0 (Debian 12, Lua 5.2) and the 4.4 API (Lua 5.4).

declare interface ByteArray {
  len(this: ByteArray): number;
  get_index(this: ByteArray, index: number): number;
}

declare interface TvbRange {
  len(this: TvbRange): number;
  bytes(this: TvbRange): ByteArray;
}

declare interface Tvb {
  len(this: Tvb): number;
  range(this: Tvb, offset?: number, length?: number): TvbRange;
}

declare interface Column {
  set(this: Column, text: string): void;
  append(this: Column, text: string): void;
}

declare interface Columns {
  protocol: Column | string;
  info: Column | string;
}

declare interface Pinfo {
  readonly cols: Columns;
  /** Capture time, seconds since the Unix epoch. */
  readonly abs_ts: number;
}

declare interface ProtoField {
  readonly __protoFieldBrand: never;
}

declare interface ProtoExpert {
  readonly __protoExpertBrand: never;
}

declare interface TreeItem {
  add(this: TreeItem, field: ProtoField | Proto, range?: TvbRange, value?: unknown): TreeItem;
  add(this: TreeItem, field: ProtoField | Proto, value?: unknown): TreeItem;
  add_proto_expert_info(this: TreeItem, expert: ProtoExpert, text?: string): TreeItem;
  append_text(this: TreeItem, text: string): TreeItem;
  set_text(this: TreeItem, text: string): TreeItem;
  set_generated(this: TreeItem): TreeItem;
}

declare type DissectorFunction = (
  this: void,
  tvb: Tvb,
  pinfo: Pinfo,
  tree: TreeItem,
) => number | void;

declare interface PrefsTable {
  [name: string]: unknown;
}

declare interface Proto {
  fields: ProtoField[];
  experts: ProtoExpert[];
  dissector: DissectorFunction;
  init: (this: void) => void;
  prefs_changed: (this: void) => void;
  readonly prefs: PrefsTable;
}

declare const Proto: {
  new: (this: void, name: string, description: string) => Proto;
};

declare interface Pref {
  readonly __prefBrand: never;
}

declare const Pref: {
  string: (this: void, label: string, defaultValue: string, description: string) => Pref;
  bool: (this: void, label: string, defaultValue: boolean, description: string) => Pref;
  statictext: (this: void, label: string, description?: string) => Pref;
};

declare interface FieldInfo {
  readonly value: unknown;
  readonly range: TvbRange;
  readonly len: number;
}

/** A field extractor, created at load time: calling it returns the field's values in the packet. */
declare type FieldExtractor = (this: void) => LuaMultiReturn<(FieldInfo | undefined)[]>;

declare const Field: {
  new: (this: void, fieldName: string) => FieldExtractor;
};

declare interface DissectorTable {
  add(this: DissectorTable, pattern: number | string, dissector: Proto): void;
}

declare const DissectorTable: {
  get: (this: void, tableName: string) => DissectorTable | undefined;
};

declare const ProtoField: {
  int64: (
    this: void,
    abbr: string,
    name?: string,
    base?: number,
    valuestring?: undefined,
    mask?: undefined,
    description?: string,
  ) => ProtoField;
  uint32: (
    this: void,
    abbr: string,
    name?: string,
    base?: number,
    valuestring?: undefined,
    mask?: undefined,
    description?: string,
  ) => ProtoField;
  string: (
    this: void,
    abbr: string,
    name?: string,
    display?: number,
    description?: string,
  ) => ProtoField;
  bool: (
    this: void,
    abbr: string,
    name?: string,
    display?: number,
    valuestring?: undefined,
    mask?: undefined,
    description?: string,
  ) => ProtoField;
  none: (this: void, abbr: string, name?: string, description?: string) => ProtoField;
};

declare const ProtoExpert: {
  new: (this: void, abbr: string, text: string, group: number, severity: number) => ProtoExpert;
};

declare const base: { readonly DEC: number; readonly HEX: number; readonly NONE: number };

declare const expert: {
  readonly group: {
    readonly MALFORMED: number;
    readonly SECURITY: number;
    readonly UNDECODED: number;
    readonly PROTOCOL: number;
  };
  readonly severity: {
    readonly ERROR: number;
    readonly WARN: number;
    readonly NOTE: number;
    readonly CHAT: number;
  };
};

declare function register_postdissector(this: void, proto: Proto, allFields?: boolean): void;

declare interface Int64 {
  readonly __int64Brand: never;
}

/** FT_INT64 fields take an Int64, not a Lua number (Wireshark 4.0: "bad self" otherwise). */
declare const Int64: {
  new: (this: void, value: number) => Int64;
};

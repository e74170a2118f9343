// Minimal source-map v3 reader: maps a generated line/column back to source file:line, so bundle
// findings name the TypeScript file a person has to edit.

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export interface RawSourceMap {
  sources: string[];
  mappings: string;
}

export interface Position {
  source: string;
  line: number; // 1-based
}

interface Segment {
  col: number;
  src: number;
  line: number;
}

function decodeVlq(s: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (let i = 0; i < s.length; i++) {
    const d = B64.indexOf(s.charAt(i));
    value += (d & 31) << shift;
    if (d & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >> 1) : value >> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

export class SourceMapReader {
  private readonly lines: Segment[][] = [];
  constructor(private readonly map: RawSourceMap) {
    let src = 0;
    let line = 0;
    for (const text of map.mappings.split(";")) {
      const segs: Segment[] = [];
      let col = 0;
      for (const part of text.split(",")) {
        if (!part) continue;
        const v = decodeVlq(part);
        col += v[0] ?? 0;
        if (v.length >= 4) {
          src += v[1]!;
          line += v[2]!;
          segs.push({ col, src, line });
        }
      }
      this.lines.push(segs);
    }
  }

  /** line is 1-based, column 0-based, as acorn reports them. */
  lookup(line: number, column: number): Position | null {
    const segs = this.lines[line - 1];
    if (!segs || segs.length === 0) return null;
    let best = segs[0]!;
    for (const s of segs) if (s.col <= column) best = s;
    return { source: this.map.sources[best.src] ?? "?", line: best.line + 1 };
  }
}

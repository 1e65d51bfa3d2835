// Minimal source map v3 reader: decodes `mappings` lazily and answers "which original position does
// this generated position come from". Lines are 1-based and columns 0-based, as in the spec's data.

export interface MappedPosition {
  source: number;
  line: number;
  column: number;
}

type Segment = readonly [genColumn: number, source: number, line: number, column: number, name?: number];

const B64 = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));

function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let source = 0;
  let srcLine = 0;
  let srcCol = 0;
  let name = 0;
  for (const lineText of mappings.split(';')) {
    const segments: Segment[] = [];
    let genCol = 0;
    if (lineText !== '') {
      for (const segText of lineText.split(',')) {
        const fields: number[] = [];
        let value = 0;
        let shift = 0;
        for (const ch of segText) {
          const digit = B64.get(ch);
          if (digit === undefined) break;
          value += (digit & 31) << shift;
          if (digit & 32) {
            shift += 5;
          } else {
            fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
            value = 0;
            shift = 0;
          }
        }
        genCol += fields[0] ?? 0;
        if (fields.length >= 4) {
          source += fields[1] ?? 0;
          srcLine += fields[2] ?? 0;
          srcCol += fields[3] ?? 0;
          if (fields.length >= 5) {
            name += fields[4] ?? 0;
            segments.push([genCol, source, srcLine, srcCol, name]);
          } else {
            segments.push([genCol, source, srcLine, srcCol]);
          }
        }
      }
    }
    segments.sort((a, b) => a[0] - b[0]);
    lines.push(segments);
  }
  return lines;
}

export class SourceMapLookup {
  private lines: Segment[][] | undefined;

  constructor(private readonly mappings: string) {}

  /** The generated positions (`line` 1-based, `column` 0-based) that carry a name, with its index in `names`. */
  *named(): Generator<{ line: number; column: number; name: number }> {
    this.lines ??= decodeMappings(this.mappings);
    for (const [i, segments] of this.lines.entries()) {
      for (const seg of segments) if (seg[4] !== undefined) yield { line: i + 1, column: seg[0], name: seg[4] };
    }
  }

  /** `line` 1-based, `column` 0-based; the segment that starts exactly at that column, if any. */
  findExact(line: number, column: number): MappedPosition | undefined {
    this.lines ??= decodeMappings(this.mappings);
    const seg = this.lines[line - 1]?.find((sg) => sg[0] === column);
    return seg === undefined ? undefined : { source: seg[1], line: seg[2] + 1, column: seg[3] };
  }

  /** `line` 1-based, `column` 0-based; the segment at or before the column on that line. */
  find(line: number, column: number): MappedPosition | undefined {
    this.lines ??= decodeMappings(this.mappings);
    const segments = this.lines[line - 1];
    if (segments === undefined || segments.length === 0) return undefined;
    let lo = 0;
    let hi = segments.length - 1;
    let best: Segment | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const seg = segments[mid];
      if (seg === undefined) break;
      if (seg[0] <= column) {
        best = seg;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    best ??= segments[0];
    if (best === undefined) return undefined;
    return { source: best[1], line: best[2] + 1, column: best[3] };
  }
}

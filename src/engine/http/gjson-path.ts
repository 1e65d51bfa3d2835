// The subset of gjson path syntax (github.com/tidwall/gjson) that k6's `Response.json(path)` users
// rely on:
//   path    := segment ('.' segment)*
//   segment := key | index | '#'
//   key     := any chars, with '\.' for a literal dot
// On an array, a numeric segment indexes it, '#' as the last segment is its length, and '#' followed
// by more segments maps the rest of the path over every element (dropping elements where it is missing).
// Anything that does not resolve yields undefined.

export function splitGjsonPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i] as string;
    if (ch === '\\' && i + 1 < path.length) {
      cur += path[i + 1];
      i++;
    } else if (ch === '.') {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out;
}

export function gjsonGet(value: unknown, path: string): unknown {
  if (path === '') return undefined;
  return walk(value, splitGjsonPath(path), 0);
}

function walk(value: unknown, segs: readonly string[], i: number): unknown {
  if (i === segs.length) return value;
  const seg = segs[i] as string;
  if (Array.isArray(value)) {
    if (seg === '#') {
      if (i === segs.length - 1) return value.length;
      const mapped: unknown[] = [];
      for (const el of value) {
        const r = walk(el, segs, i + 1);
        if (r !== undefined) mapped.push(r);
      }
      return mapped;
    }
    if (!/^\d+$/.test(seg)) return undefined;
    const idx = Number(seg);
    return idx < value.length ? walk(value[idx], segs, i + 1) : undefined;
  }
  if (value !== null && typeof value === 'object') {
    if (!Object.prototype.hasOwnProperty.call(value, seg)) return undefined;
    return walk((value as Record<string, unknown>)[seg], segs, i + 1);
  }
  return undefined;
}

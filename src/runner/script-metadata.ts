// What a script declares about itself, read without running it: k6 dependency constraints for the
// run's `k6_dependencies` (an archive's metadata.json `dependencies`, or a plain script's `"use k6 ..."`
// directives in its prologue: `"use k6 >= v1.0"` constrains k6 itself, `"use k6 with k6/x/faker > 0.4"`
// an extension), and an archive's options as `k6 archive` recorded them.
import { extract } from 'tar-stream';
import { Readable } from 'node:stream';

const DIRECTIVE = /^use k6(?:\s+with\s+(\S+))?\s*(.*)$/;
// A prologue is string-literal statements before any other code; comments may sit between them.
const PROLOGUE_ITEM = /^\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/|(["'])((?:(?!\1)[^\\\n])*)\1\s*;?)/;

export function declaredDependencies(source: string): Record<string, string> {
  const deps: Record<string, string> = {};
  let rest = source.replace(/^#![^\n]*\n/, '');
  for (let m = PROLOGUE_ITEM.exec(rest); m !== null && m[0].length > 0; m = PROLOGUE_ITEM.exec(rest)) {
    rest = rest.slice(m[0].length);
    const directive = m[2];
    if (directive === undefined) continue;
    const parsed = DIRECTIVE.exec(directive.trim());
    if (parsed === null) continue;
    deps[parsed[1] ?? 'k6'] = (parsed[2] ?? '').trim() || '*';
  }
  return deps;
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export interface ArchiveMetadata {
  dependencies: Record<string, string>;
  /** Whether `dependencies` is metadata.json's own (k6 v2 writes it), not read from the directives. */
  recorded: boolean;
  /** metadata.json `options`: the script's options, shortcuts not expanded. */
  options: Record<string, unknown> | null;
}

/** Reads `metadata.json` (and `data` when metadata names no dependencies) from a k6 archive. */
export async function readArchiveMetadata(tar: Uint8Array): Promise<ArchiveMetadata> {
  const entries = new Map<string, Buffer>();
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      const keep = header.name === 'metadata.json' || header.name === 'data';
      stream.on('data', (c: unknown) => { if (keep) chunks.push(c as Buffer); });
      stream.on('end', () => { if (keep) entries.set(header.name, Buffer.concat(chunks)); next(); });
      stream.resume();
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  Readable.from([Buffer.from(tar)]).pipe(ex);
  await done;
  const raw = entries.get('metadata.json');
  const parsed: unknown = raw === undefined ? null : JSON.parse(raw.toString('utf8'));
  const metadata = typeof parsed === 'object' && parsed !== null ? (parsed as { dependencies?: unknown; options?: unknown }) : {};
  const options = typeof metadata.options === 'object' && metadata.options !== null && !Array.isArray(metadata.options) ? (metadata.options as Record<string, unknown>) : null;
  const dependencies = stringRecord(metadata.dependencies);
  if (Object.keys(dependencies).length > 0) return { dependencies, recorded: true, options };
  const data = entries.get('data');
  return { dependencies: data === undefined ? {} : declaredDependencies(data.toString('utf8')), recorded: false, options };
}

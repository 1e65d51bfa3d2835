// Reads a k6 archive (`k6 archive` output: a plain tar) into memory. Layout (k6 lib/archive.go):
//   metadata.json            {type, options, filename, pwd, env, compatibilityMode, k6version, …}
//   data                     the main script's source
//   file/<abs path>          local files (imports and open()ed data); the main script is a hard link to `data`
//   https/<host>/<path>      remote modules, keyed by their URL without the scheme
//   files/…, scripts/…       pre-0.25 archives: a name starting with `/_` is local, anything else remote
// Paths inside are already normalised by k6 (forward slashes, `C:` → `/C`, home dirs → `nobody`).
import { extract } from 'tar-stream';
import { CompileError } from './compile-error.ts';

export interface ArchiveContents {
  metadata: Record<string, unknown>;
  options: Record<string, unknown>;
  env: Record<string, string>;
  /** Local files by absolute posix path. */
  localFiles: Map<string, Uint8Array>;
  /** Remote modules by `https://host/path`. */
  remoteFiles: Map<string, Uint8Array>;
  /** The main script: an absolute local path, or an https URL for a remote main. */
  mainPath: string;
  mainData: Uint8Array;
}

const BLOCK = 512;

/** k6 test_load.go: an archive lib.ReadArchive refuses fails the command with no exit code (255). */
function archiveError(archiveName: string, message: string, cause?: unknown): CompileError {
  return new CompileError(`could not load test archive bundle '${archiveName}': ${message}`, undefined, {
    exitCode: 255,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Go's encoding/json name of a JSON value's kind, as in `cannot unmarshal string into …`. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

/**
 * k6 loader.Resolve of the metadata's `filename` and `pwd` against `file:///`: a path, or a URL with
 * the file or https scheme; k6 refuses the rest (the `github.com/…` and `cdnjs.com/…` shorthands of
 * old k6 versions among them). Returns the error text, or undefined when k6 resolves it.
 */
function unresolvable(spec: string): string | undefined {
  if (spec === '') return 'local or remote path required';
  if (spec.startsWith('.') || spec.startsWith('/') || /^[A-Za-z]:[\\/]/.test(spec)) return undefined;
  if (spec.includes('://')) {
    const scheme = spec.slice(0, spec.indexOf(':')).toLowerCase();
    return scheme === 'file' || scheme === 'https' ? undefined : `only supported schemes for imports are file and https, ${spec} has \`${scheme}\``;
  }
  if (spec.startsWith('cdnjs.com')) {
    return "cdnjs.com 'special' urls are no longer supported - please use real ones. You can get yours by going to cdnjs and copy-pasting the full url to the actual JavaScript file";
  }
  if (spec.startsWith('github.com')) {
    return "github.com 'special' urls are no longer supported - please use real ones. You can get yours by going to github and copy-pasting the full url to the actual raw JavaScript file";
  }
  return `The moduleSpecifier ${JSON.stringify(spec)} couldn't be recognised as something k6 supports.`;
}

/** k6 treats any input that starts with a valid tar header as an archive: we check the header checksum. */
export function isTarArchive(data: Uint8Array): boolean {
  if (data.length < BLOCK) return false;
  const stored = parseOctal(data.subarray(148, 156));
  if (stored === undefined) return false;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (data[i] ?? 0);
  return sum === stored;
}

function parseOctal(field: Uint8Array): number | undefined {
  const text = new TextDecoder().decode(field).replace(/\0.*$/s, '').trim();
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined;
}

interface RawEntry { name: string; type: string; linkname: string | null; data: Uint8Array }

async function readEntries(data: Uint8Array): Promise<RawEntry[]> {
  const ex = extract();
  const entries: RawEntry[] = [];
  const done = (async () => {
    for await (const entry of ex) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      entries.push({
        name: entry.header.name,
        type: entry.header.type ?? 'file',
        linkname: entry.header.linkname ?? null,
        data: new Uint8Array(Buffer.concat(chunks)),
      });
    }
  })();
  ex.end(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  await done;
  return entries;
}

function stripScheme(url: string): string {
  return url.replace(/^[a-z]+:\/\//i, '');
}

/** `file:///home/nobody/x.js` → `/home/nobody/x.js`; `https://host/p` stays a URL. */
function mainLocation(filename: string): { kind: 'file' | 'https'; key: string } {
  if (/^https?:\/\//i.test(filename)) return { kind: 'https', key: `https://${stripScheme(filename)}` };
  let p = filename.startsWith('file://') ? filename.slice('file://'.length) : filename;
  try {
    p = decodeURIComponent(p);
  } catch {
    // keep the raw path: k6 writes unescaped paths in practice
  }
  if (!p.startsWith('/')) p = `/${p}`;
  // k6 stores `C:\x` as `/C/x` in the tar; metadata may still say `file:///C:/x`.
  p = p.replace(/\\/g, '/').replace(/^\/([A-Za-z]):(?=\/|$)/, '/$1');
  return { kind: 'file', key: p };
}

function asStringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v !== null && typeof v === 'object') {
    for (const [k, val] of Object.entries(v)) out[k] = String(val);
  }
  return out;
}

export async function readArchive(data: Uint8Array, archiveName: string): Promise<ArchiveContents> {
  let entries: RawEntry[];
  try {
    entries = await readEntries(data);
  } catch (e) {
    throw archiveError(archiveName, (e as Error).message, e);
  }
  const byName = new Map(entries.map((e) => [e.name.replace(/^\.\//, ''), e]));
  const contentOf = (e: RawEntry, depth = 0): Uint8Array | undefined => {
    if (e.type === 'file' || e.type === 'contiguous-file') return e.data;
    if (e.type === 'link' && e.linkname !== null && depth < 8) {
      const target = byName.get(e.linkname.replace(/^\.\//, ''));
      return target === undefined ? undefined : contentOf(target, depth + 1);
    }
    return undefined;
  };

  const metaEntry = byName.get('metadata.json');
  if (metaEntry === undefined) throw archiveError(archiveName, 'not a k6 archive (no metadata.json)');
  let metadata: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(metaEntry.data));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    metadata = parsed as Record<string, unknown>;
  } catch (e) {
    throw archiveError(archiveName, `invalid metadata.json: ${(e as Error).message}`, e);
  }
  // Go decodes metadata.json into lib.Archive: a field of the wrong kind fails the read.
  if (metadata.options !== undefined && metadata.options !== null && (typeof metadata.options !== 'object' || Array.isArray(metadata.options))) {
    throw archiveError(archiveName, `json: cannot unmarshal ${jsonKind(metadata.options)} into Go struct field Archive.options of type lib.Options`);
  }
  for (const field of ['filename', 'pwd'] as const) {
    const value = metadata[field] ?? '';
    if (typeof value !== 'string') throw archiveError(archiveName, `json: cannot unmarshal ${jsonKind(value)} into Go struct field Archive.${field} of type string`);
    // k6 resolves a missing pwd of an old archive (no k6version) as "." (filepath.Clean("")).
    if (field === 'pwd' && value === '') continue;
    const problem = unresolvable(value);
    if (problem !== undefined) throw archiveError(archiveName, problem);
  }
  const mainData = byName.get('data');
  if (mainData === undefined) throw archiveError(archiveName, 'not a k6 archive (no data entry)');
  const filename = metadata.filename as string;

  const localFiles = new Map<string, Uint8Array>();
  const remoteFiles = new Map<string, Uint8Array>();
  for (const entry of entries) {
    const name = entry.name.replace(/^\.\//, '').replace(/\\/g, '/');
    const slash = name.indexOf('/');
    if (slash === -1) continue;
    let prefix = name.slice(0, slash);
    let rest = name.slice(slash);
    if (prefix === 'files' || prefix === 'scripts') {
      if (rest.startsWith('/_')) {
        prefix = 'file';
        rest = rest.slice(2);
      } else {
        prefix = 'https';
      }
    }
    const content = contentOf(entry);
    if (content === undefined) continue; // directories and dangling links
    if (prefix !== 'file' && prefix !== 'https') throw archiveError(archiveName, `unknown file prefix \`${prefix}\` for file \`${name}\``);
    if (prefix === 'file') localFiles.set(rest.startsWith('/') ? rest : `/${rest}`, content);
    else remoteFiles.set(`https:/${rest}`, content);
  }

  const main = mainLocation(filename);
  (main.kind === 'file' ? localFiles : remoteFiles).set(main.key, mainData.data);
  const options = metadata.options !== null && typeof metadata.options === 'object' ? (metadata.options as Record<string, unknown>) : {};
  return { metadata, options, env: asStringRecord(metadata.env), localFiles, remoteFiles, mainPath: main.key, mainData: mainData.data };
}

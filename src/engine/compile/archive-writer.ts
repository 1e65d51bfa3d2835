// Writes a k6 archive (`k6 archive`'s layout, k6 lib/archive.go Archive.Write) that real k6 and our
// own reader (archive-reader.ts) both load:
//   metadata.json            {type, options, filename, pwd, env, compatibilityMode, k6version, goos, dependencies}, 2-space indent
//   data                     the main script's source
//   file, file/<dir>…        a directory entry for every directory on the way to a local file, sorted
//   file/<abs path>          every local file, sorted; the main script is a hard link to `data`
//   https, https/<host>/…    the same for remote modules, keyed by their URL without the scheme
// Local paths are normalised and anonymised as k6 does (`C:\x` → `/C/x`, `/home/<user>` → `/home/nobody`),
// in metadata and entry names alike, so an archive does not leak who made it.
import * as path from 'node:path/posix';
import { pack } from 'tar-stream';

export interface ArchiveSpec {
  /** Absolute posix path of the main script, or its https URL. */
  mainPath: string;
  /** The main script's source (the `data` entry). */
  data: Uint8Array;
  /** Every other file the test needs: local files by absolute posix path, remote modules by https URL. */
  files: ReadonlyMap<string, Uint8Array>;
  /** The consolidated options in k6's JSON shape. */
  options: Record<string, unknown>;
  env: Readonly<Record<string, string>>;
  k6version: string;
  /** Go's GOOS naming: linux, darwin, windows. */
  goos: string;
  /** The runtime's compatibility mode (k6 bundle.makeArchive); "extended" when absent. */
  compatibilityMode?: string;
  /** metadata.json `dependencies` (k6 v2): the declared build dependencies; left out when absent. */
  dependencies?: Readonly<Record<string, string>>;
  /** Entry times; k6 uses the time of writing. */
  now?: Date;
}

const VOLUME = /^[/\\]?([a-zA-Z]):(.*)/;
const SHARED = /^\\\\([^\\]+)/;
const HOME_DIR = /^(\/[a-zA-Z])?\/(Users|home|Documents and Settings)\/(?:[^/]+)/i;

/** k6 NormalizeAndAnonymizePath: forward slashes, volumes as `/C`, user names in home dirs as `nobody`. */
export function normalizeAndAnonymizePath(p: string): string {
  const cleaned = path.normalize(p).replace(/(.)\/$/, '$1');
  const normalized = cleaned.replace(VOLUME, '/$1$2').replace(SHARED, '/nobody').replaceAll('\\', '/');
  return normalized.replace(HOME_DIR, '$1/$2/nobody');
}

function isRemote(key: string): boolean {
  return /^https?:\/\//i.test(key);
}

/** Where a file lives inside the archive: its filesystem (`file` or `https`) and its path there. */
function location(key: string): { fs: 'file' | 'https'; path: string } {
  if (isRemote(key)) {
    const u = new URL(key);
    return { fs: 'https', path: path.normalize(`/${u.host}${decodeURIComponent(u.pathname)}`) };
  }
  return { fs: 'file', path: normalizeAndAnonymizePath(key) };
}

/** `filename` and `pwd` of metadata.json: URLs of the main script and of its directory. */
function mainUrls(mainPath: string): { filename: string; pwd: string } {
  if (isRemote(mainPath)) return { filename: new URL(mainPath).href, pwd: new URL('./', mainPath).href };
  const file = new URL('file:///');
  file.pathname = normalizeAndAnonymizePath(mainPath);
  return { filename: file.href, pwd: new URL('./', file).href };
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  // Go encodes maps with sorted keys: the same archive twice is the same bytes (but for the times).
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function metadataJson(spec: ArchiveSpec): string {
  const { filename, pwd } = mainUrls(spec.mainPath);
  const meta = {
    type: 'js',
    options: spec.options,
    filename,
    pwd,
    env: sortedRecord(spec.env),
    compatibilityMode: spec.compatibilityMode ?? 'extended',
    k6version: spec.k6version,
    goos: spec.goos,
    ...(spec.dependencies === undefined || Object.keys(spec.dependencies).length === 0 ? {} : { dependencies: sortedRecord(spec.dependencies) }),
  };
  return `${JSON.stringify(meta, null, 2)}\n`;
}

interface TarEntry {
  name: string;
  type: 'file' | 'directory' | 'link';
  data?: Uint8Array;
}

function ancestors(p: string): string[] {
  const out: string[] = [];
  for (let dir = path.dirname(p); ; dir = path.dirname(dir)) {
    out.push(dir);
    if (dir === '/') return out;
  }
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The entries of both filesystems in k6's order: per filesystem, its sorted directories, then its sorted files. */
function fileEntries(spec: ArchiveSpec): TarEntry[] {
  const main = location(spec.mainPath);
  const entries: TarEntry[] = [];
  for (const fs of ['file', 'https'] as const) {
    const files = new Map<string, Uint8Array | 'data'>();
    for (const [key, data] of spec.files) {
      const loc = location(key);
      if (loc.fs === fs) files.set(loc.path, data);
    }
    if (main.fs === fs) files.set(main.path, 'data');
    if (files.size === 0) continue;
    const dirs = new Set<string>();
    for (const p of files.keys()) for (const d of ancestors(p)) dirs.add(d);
    for (const d of [...dirs].sort(byteOrder)) entries.push({ name: path.join(fs, d).replace(/\/$/, ''), type: 'directory' });
    for (const p of [...files.keys()].sort(byteOrder)) {
      const data = files.get(p);
      const name = path.join(fs, p);
      entries.push(data === 'data' || data === undefined ? { name, type: 'link' } : { name, type: 'file', data });
    }
  }
  return entries;
}

/** The archive's bytes: a plain (uncompressed) tar, as `k6 archive` writes. */
export async function writeArchive(spec: ArchiveSpec): Promise<Uint8Array> {
  const mtime = spec.now ?? new Date();
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on('data', (c: unknown) => void chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    tar.on('end', resolve);
    tar.on('error', reject);
  });
  const add = (e: TarEntry): void => {
    if (e.type === 'directory') tar.entry({ name: e.name, type: 'directory', mode: 0o755, mtime });
    else if (e.type === 'link') tar.entry({ name: e.name, type: 'link', linkname: 'data', size: 0, mtime });
    else tar.entry({ name: e.name, type: 'file', mode: 0o644, mtime }, Buffer.from(e.data ?? new Uint8Array()));
  };
  add({ name: 'metadata.json', type: 'file', data: new TextEncoder().encode(metadataJson(spec)) });
  add({ name: 'data', type: 'file', data: spec.data });
  for (const e of fileEntries(spec)) add(e);
  tar.finalize();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

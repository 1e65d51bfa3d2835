import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { isTarArchive } from './archive-reader.ts';
import { CompileError, compileScript, type CompileIo } from './compile-script.ts';
import { callExport, instantiate, makeFakeRuntime } from './fixtures/fake-runtime.ts';

type TarEntry = { name: string; text?: string; linkname?: string; dir?: boolean };

async function makeTar(entries: TarEntry[]): Promise<Uint8Array> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((resolve, reject) => {
    p.on('end', resolve);
    p.on('error', reject);
  });
  for (const e of entries) {
    if (e.dir === true) p.entry({ name: e.name, type: 'directory' });
    else if (e.linkname !== undefined) p.entry({ name: e.name, type: 'link', linkname: e.linkname });
    else p.entry({ name: e.name }, e.text ?? '');
  }
  p.finalize();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

const noDisk: CompileIo = {
  cwd: '/elsewhere',
  async readFile(p) {
    throw new Error(`unexpected disk read of ${p}`);
  },
};

const MAIN = `
import http from 'k6/http';
import { double } from './lib/util.js';
import { pick } from 'https://jslib.k6.io/k6-utils/1.4.0/index.js';
export const options = { vus: 3 };
const rows = open('./data.csv');
export default function () { return [double(2), pick(), rows, http.get('http://t').status]; }
`;

function metadata(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'js',
    options: { vus: 5, duration: '10s' },
    filename: 'file:///home/nobody/proj/main.js',
    pwd: 'file:///home/nobody/proj/',
    env: { BASE: 'http://x', N: 3 },
    compatibilityMode: 'extended',
    k6version: '0.54.0',
    ...extra,
  });
}

describe('k6 archives', () => {
  it('loads the main script, local imports, https modules and open() files from the tar', async () => {
    const tar = await makeTar([
      { name: 'metadata.json', text: metadata() },
      { name: 'data', text: MAIN },
      { name: 'file', dir: true },
      { name: 'file/home/nobody/proj/main.js', linkname: 'data' },
      { name: 'file/home/nobody/proj/lib/util.js', text: `export const double = (x) => x * 2;` },
      { name: 'file/home/nobody/proj/data.csv', text: 'a,b\n1,2\n' },
      { name: 'https/jslib.k6.io/k6-utils/1.4.0/index.js', text: `export { pick } from './pick.js';` },
      { name: 'https/jslib.k6.io/k6-utils/1.4.0/pick.js', text: `export function pick() { return 'remote'; }` },
    ]);
    expect(isTarArchive(tar)).toBe(true);
    const script = await compileScript({ name: 'archive.tar', data: tar }, noDisk);
    expect(script.kind).toBe('archive');
    expect(script.mainPath).toBe('/home/nobody/proj/main.js');
    expect(script.archive?.options).toEqual({ vus: 5, duration: '10s' });
    expect(script.archive?.env).toEqual({ BASE: 'http://x', N: '3' });
    expect(script.archive?.metadata.k6version).toBe('0.54.0');
    expect(new TextDecoder().decode(script.files.get('/home/nobody/proj/data.csv'))).toBe('a,b\n1,2\n');
    expect(script.files.has('https://jslib.k6.io/k6-utils/1.4.0/pick.js')).toBe(true);
    // k6 anonymised the maker's home dir; absolute paths written by the script still find the files.
    expect(new TextDecoder().decode(script.files.get('/home/alice/proj/data.csv'))).toBe('a,b\n1,2\n');
    expect(script.sourceBytes).toBe(tar);

    const ns = await instantiate(script, makeFakeRuntime());
    expect(await callExport(ns, 'default')).toEqual([4, 'remote', 'open /home/nobody/proj ./data.csv', 200]);
  });

  it('fails naming a remote module the archive does not hold', async () => {
    const tar = await makeTar([
      { name: 'metadata.json', text: metadata() },
      { name: 'data', text: `import { x } from 'https://example.com/missing.js';\nexport default () => x;` },
      { name: 'file/home/nobody/proj/main.js', linkname: 'data' },
    ]);
    const err = await compileScript({ name: 'a.tar', data: tar }, noDisk).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CompileError);
    expect((err as Error).message).toContain('https://example.com/missing.js');
  });

  it('reads pre-0.25 archives with files/ and scripts/ prefixes', async () => {
    const tar = await makeTar([
      { name: 'metadata.json', text: metadata({ k6version: '0.24.0', options: {} }) },
      { name: 'data', text: `import { v } from './lib.js';\nimport { r } from 'https://cdn.example/r.js';\nexport default () => v + r;` },
      { name: 'scripts/_/home/nobody/proj/lib.js', text: `export const v = 'local-';` },
      { name: 'scripts/cdn.example/r.js', text: `export const r = 'remote';` },
      { name: 'files/_/home/nobody/proj/x.txt', text: 'x' },
    ]);
    const script = await compileScript({ name: 'old.tar', data: tar }, noDisk);
    expect(script.files.has('/home/nobody/proj/x.txt')).toBe(true);
    const ns = await instantiate(script, makeFakeRuntime());
    expect(await callExport(ns, 'default')).toBe('local-remote');
  });

  it('finds a Windows main script stored under /C/…', async () => {
    const tar = await makeTar([
      { name: 'metadata.json', text: metadata({ filename: 'file:///C:/Users/nobody/t/main.js', pwd: 'file:///C:/Users/nobody/t/' }) },
      { name: 'data', text: `import { v } from './v.js';\nexport default () => v;` },
      { name: 'file/C/Users/nobody/t/main.js', linkname: 'data' },
      { name: 'file/C/Users/nobody/t/v.js', text: `export const v = 'win';` },
    ]);
    const script = await compileScript({ name: 'w.tar', data: tar }, noDisk);
    expect(script.mainPath).toBe('/C/Users/nobody/t/main.js');
    expect(await callExport(await instantiate(script, makeFakeRuntime()), 'default')).toBe('win');
  });

  it('is detected by its tar header, not by its name', async () => {
    const tar = await makeTar([
      { name: 'metadata.json', text: metadata() },
      { name: 'data', text: `export default () => 'from tar';` },
    ]);
    const script = await compileScript({ name: 'script.js', data: tar }, noDisk);
    expect(script.kind).toBe('archive');
    expect(isTarArchive(new TextEncoder().encode('export default () => 1;\n'.repeat(40)))).toBe(false);
  });
});

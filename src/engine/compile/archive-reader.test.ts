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

  it("refuses a remote module's import of a local file (k6 loader_test.go Remote Lifting Denied)", async () => {
    const tar = await makeTar([
      { name: 'metadata.json', text: metadata() },
      { name: 'data', text: `import { x } from 'https://example.com/lib/remote.js';\nexport default () => x;` },
      { name: 'file/home/nobody/proj/main.js', linkname: 'data' },
      { name: 'https/example.com/lib/remote.js', text: `export { x } from 'file:///etc/shadow';` },
      { name: 'file/etc/shadow', text: `export const x = 'secret';` },
    ]);
    const err = await compileScript({ name: 'a.tar', data: tar }, noDisk).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CompileError);
    expect((err as Error).message).toContain('origin (https://example.com/lib/) not allowed to load local file: file:///etc/shadow');
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

  it("refuses what k6's ReadArchive refuses (old_archive_test.go), exit 255 with k6's texts", async () => {
    const refused = async (meta: string, extra: TarEntry[] = []): Promise<[number, string]> => {
      const tar = await makeTar([{ name: 'metadata.json', text: meta }, { name: 'data', text: `export default () => 1;` }, ...extra]);
      const err = await compileScript({ name: 'old.tar', data: tar }, noDisk).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CompileError);
      return [(err as CompileError).exitCode, (err as Error).message];
    };
    expect(await refused(metadata(), [{ name: 'strange/something', text: 'github file' }])).toEqual([
      255,
      "could not load test archive bundle 'old.tar': unknown file prefix `strange` for file `strange/something`",
    ]);
    expect((await refused(metadata({ filename: 'github.com/k6io/k6/samples/http2.js', pwd: 'github.com/k6io/k6/samples' })))[1]).toMatch(
      /^could not load test archive bundle 'old.tar': github.com 'special' urls are no longer supported/,
    );
    expect((await refused(metadata({ filename: 'cdnjs.com/libraries/Faker', pwd: '/home/nobody' })))[1]).toContain("cdnjs.com 'special' urls are no longer supported");
    expect((await refused(metadata({ filename: 'ftps://example.com/something/dot.js', pwd: 'https://example.com/something' })))[1]).toContain(
      'only supported schemes for imports are file and https, ftps://example.com/something/dot.js has `ftps`',
    );
    expect((await refused(metadata({ filename: 'https://example.com/something/dot.js', pwd: 'ftps://example.com/something' })))[1]).toContain(
      'only supported schemes for imports are file and https',
    );
    expect(await refused(metadata({ options: 'something invalid' }))).toEqual([
      255,
      "could not load test archive bundle 'old.tar': json: cannot unmarshal string into Go struct field Archive.options of type lib.Options",
    ]);
    expect((await refused('blah'))[0]).toBe(255);
  });

  it('reads an archive without pwd or k6version (k6 ≤ 0.20), its main script by the filename', async () => {
    const tar = await makeTar([
      { name: 'metadata.json', text: JSON.stringify({ filename: '/absolulte/path2', options: {} }) },
      { name: 'data', text: `const f = open('/absolulte/path');\nexport default () => f;` },
      { name: 'files/_/absolulte/path', text: 'unix file' },
      { name: 'scripts/example.com/path/too.js', text: 'example.com script' },
    ]);
    const script = await compileScript({ name: 'old.tar', data: tar }, noDisk);
    expect(script.mainPath).toBe('/absolulte/path2');
    expect(script.files.has('https://example.com/path/too.js')).toBe(true);
  });
});

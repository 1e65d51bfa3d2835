import { extract } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { isTarArchive, readArchive } from './archive-reader.ts';
import { normalizeAndAnonymizePath, writeArchive, type ArchiveSpec } from './archive-writer.ts';

interface Entry { name: string; type: string; linkname: string | null; mode: number | undefined; text: string }

async function entriesOf(tar: Uint8Array): Promise<Entry[]> {
  const ex = extract();
  const out: Entry[] = [];
  const done = (async () => {
    for await (const e of ex) {
      const chunks: Buffer[] = [];
      for await (const c of e) chunks.push(c as Buffer);
      out.push({ name: e.header.name, type: e.header.type ?? 'file', linkname: e.header.linkname ?? null, mode: e.header.mode, text: Buffer.concat(chunks).toString() });
    }
  })();
  ex.end(Buffer.from(tar));
  await done;
  return out;
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function spec(extra: Partial<ArchiveSpec> = {}): ArchiveSpec {
  return {
    mainPath: '/srv/proj/main.js',
    data: enc('import "./lib/util.js";\nexport default function () {}\n'),
    files: new Map([
      ['/srv/proj/lib/util.js', enc('export const u = 1;')],
      ['/srv/data/users.csv', enc('a,b\n')],
      ['https://cdn.example.com/m/x.js', enc('export const x = 2;')],
    ]),
    options: { vus: 2, duration: '10s', tags: { team: 'a' } },
    env: { ZED: '1', ALPHA: '2' },
    k6version: '2.2.0',
    goos: 'linux',
    ...extra,
  };
}

describe('writeArchive', () => {
  it("writes k6's layout: metadata.json, data, then each filesystem's sorted directories and files", async () => {
    const tar = await writeArchive(spec());
    expect(isTarArchive(tar)).toBe(true);
    const entries = await entriesOf(tar);
    expect(entries.map((e) => `${e.type} ${e.name}`)).toEqual([
      'file metadata.json',
      'file data',
      'directory file',
      'directory file/srv',
      'directory file/srv/data',
      'directory file/srv/proj',
      'directory file/srv/proj/lib',
      'file file/srv/data/users.csv',
      'file file/srv/proj/lib/util.js',
      'link file/srv/proj/main.js',
      'directory https',
      'directory https/cdn.example.com',
      'directory https/cdn.example.com/m',
      'file https/cdn.example.com/m/x.js',
    ]);
    expect(entries.find((e) => e.name === 'file/srv/proj/main.js')?.linkname).toBe('data');
    expect(entries.find((e) => e.name === 'data')?.text).toContain('import "./lib/util.js"');
    expect(entries.find((e) => e.name === 'file/srv/data/users.csv')).toMatchObject({ text: 'a,b\n', mode: 0o644 });
  });

  it('puts the fields k6 writes into metadata.json, env keys sorted', async () => {
    const entries = await entriesOf(await writeArchive(spec()));
    const text = entries.find((e) => e.name === 'metadata.json')?.text ?? '';
    const meta = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(meta)).toEqual(['type', 'options', 'filename', 'pwd', 'env', 'compatibilityMode', 'k6version', 'goos']);
    expect(meta).toEqual({
      type: 'js',
      options: { vus: 2, duration: '10s', tags: { team: 'a' } },
      filename: 'file:///srv/proj/main.js',
      pwd: 'file:///srv/proj/',
      env: { ALPHA: '2', ZED: '1' },
      compatibilityMode: 'extended',
      k6version: '2.2.0',
      goos: 'linux',
    });
    expect(Object.keys(meta.env as object)).toEqual(['ALPHA', 'ZED']);
    expect(text).toMatch(/^\{\n {2}"type": "js",\n/);
    // --compatibility-mode is recorded as the bundle's mode (k6 bundle.makeArchive).
    const base = await entriesOf(await writeArchive(spec({ compatibilityMode: 'base' })));
    expect(JSON.parse(base.find((e) => e.name === 'metadata.json')?.text ?? '{}')).toMatchObject({ compatibilityMode: 'base' });
  });

  it('anonymises home directories in entry names and metadata, as k6 does', async () => {
    const tar = await writeArchive(spec({
      mainPath: '/home/alice/proj/main.js',
      files: new Map([['/home/alice/proj/data.txt', enc('d')], ['/Users/Bob/x.json', enc('{}')]]),
    }));
    const entries = await entriesOf(tar);
    const names = entries.map((e) => e.name);
    expect(names).toContain('file/home/nobody/proj/data.txt');
    expect(names).toContain('file/Users/nobody/x.json');
    expect(names.some((n) => /alice|Bob/.test(n))).toBe(false);
    const meta = JSON.parse(entries[0]?.text ?? '') as { filename: string; pwd: string };
    expect(meta).toMatchObject({ filename: 'file:///home/nobody/proj/main.js', pwd: 'file:///home/nobody/proj/' });
  });

  it('normalises paths like k6 NormalizeAndAnonymizePath', () => {
    expect(normalizeAndAnonymizePath('/home/alice/a/../b.js')).toBe('/home/nobody/b.js');
    expect(normalizeAndAnonymizePath('C:\\Users\\bob\\t\\main.js')).toBe('/C/Users/nobody/t/main.js');
    expect(normalizeAndAnonymizePath('/srv/x/')).toBe('/srv/x');
    expect(normalizeAndAnonymizePath('/')).toBe('/');
  });

  it('escapes the main path in the metadata URL and stores a remote main under https/', async () => {
    const local = await entriesOf(await writeArchive(spec({ mainPath: '/srv/my tests/main.js', files: new Map() })));
    expect(JSON.parse(local[0]?.text ?? '')).toMatchObject({ filename: 'file:///srv/my%20tests/main.js', pwd: 'file:///srv/my%20tests/' });
    expect(local.map((e) => e.name)).toContain('file/srv/my tests/main.js');

    const remote = await entriesOf(await writeArchive(spec({ mainPath: 'https://cdn.example.com/t/main.js', files: new Map() })));
    expect(JSON.parse(remote[0]?.text ?? '')).toMatchObject({ filename: 'https://cdn.example.com/t/main.js', pwd: 'https://cdn.example.com/t/' });
    expect(remote.filter((e) => e.type === 'link').map((e) => e.name)).toEqual(['https/cdn.example.com/t/main.js']);
    expect(remote.some((e) => e.name.startsWith('file'))).toBe(false);
  });

  it('is read back by our archive reader with every file where it was', async () => {
    const arc = await readArchive(await writeArchive(spec()), 'a.tar');
    expect(arc.mainPath).toBe('/srv/proj/main.js');
    expect(new TextDecoder().decode(arc.mainData)).toContain('./lib/util.js');
    expect([...arc.localFiles.keys()].sort()).toEqual(['/srv/data/users.csv', '/srv/proj/lib/util.js', '/srv/proj/main.js']);
    expect(new TextDecoder().decode(arc.localFiles.get('/srv/proj/main.js'))).toContain('./lib/util.js');
    expect([...arc.remoteFiles.keys()]).toEqual(['https://cdn.example.com/m/x.js']);
    expect(arc.options).toEqual({ vus: 2, duration: '10s', tags: { team: 'a' } });
    expect(arc.env).toEqual({ ALPHA: '2', ZED: '1' });
  });
});

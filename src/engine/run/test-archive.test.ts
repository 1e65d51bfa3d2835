import { describe, expect, it } from 'vitest';
import { readArchive } from '../compile/archive-reader.ts';
import { loadTest, type EngineIo, type RunFlags } from '../index.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined): string => new TextDecoder().decode(b);

/** An in-memory disk; reads are recorded so a test can tell what the archive needed. */
function memoryIo(files: Record<string, string>, env: Record<string, string> = {}): EngineIo & { reads: string[] } {
  const reads: string[] = [];
  const quiet = { write: () => undefined, isTTY: false };
  return {
    cwd: '/proj',
    env,
    reads,
    async readFile(p) {
      reads.push(p);
      const text = files[p];
      if (text === undefined) throw new Error(`ENOENT: ${p}`);
      return enc(text);
    },
    async writeFile() {
      throw new Error('no writes expected');
    },
    stdout: quiet,
    stderr: quiet,
  };
}

async function archiveOf(files: Record<string, string>, flags: RunFlags = {}, env: Record<string, string> = {}) {
  const test = await loadTest({ path: 'main.js' }, flags, memoryIo(files, env));
  const made = await test.makeArchive({ now: new Date(0) });
  return { made, contents: await readArchive(made.data, 'made.tar') };
}

describe('LoadedTest.makeArchive', () => {
  it("packs the modules the compiler read and the files VU 0's init opened, computed paths included", async () => {
    const { made, contents } = await archiveOf({
      '/proj/main.js': `import { pick } from './lib/pick.js';
import cfg from './cfg.json';
const which = __ENV.SET || 'a';
const rows = open(\`./data/\${which}.csv\`);
export default function () { return pick(rows, cfg); }`,
      '/proj/lib/pick.js': 'export const pick = (r, c) => r + c.n;',
      '/proj/cfg.json': '{"n": 1}',
      '/proj/data/a.csv': 'A',
      '/proj/data/b.csv': 'B',
    }, { env: { SET: 'b' } });
    expect(made.files).toEqual(['/proj/cfg.json', '/proj/data/b.csv', '/proj/lib/pick.js']);
    expect(made.warnings).toEqual([]);
    expect(contents.mainPath).toBe('/proj/main.js');
    expect(dec(contents.localFiles.get('/proj/data/b.csv'))).toBe('B');
    expect(contents.localFiles.has('/proj/data/a.csv')).toBe(false);
    expect(contents.env).toEqual({ SET: 'b' });
  });

  it('records the consolidated options: script < K6_* env < flags, shortcuts kept, durations as k6 strings', async () => {
    const { contents } = await archiveOf(
      { '/proj/main.js': "export const options = { vus: 5, duration: '30s', tags: { a: '1' } };\nexport default function () {}" },
      { vus: 2, tag: ['team=x'] },
      { K6_DURATION: '1m30s' },
    );
    expect(contents.options).toMatchObject({ vus: 2, duration: '1m30s', tags: { team: 'x' }, setupTimeout: '1m0s' });
    expect(contents.options.scenarios).toBeUndefined();
    expect(contents.metadata).toMatchObject({ type: 'js', compatibilityMode: 'extended', filename: 'file:///proj/main.js', pwd: 'file:///proj/' });
  });

  it("writes k6 v2's metadata.json dependencies: k6, the k6/x imports, the directives of every imported file", async () => {
    const { contents } = await archiveOf({
      '/proj/main.js': '"use k6 >= 2.0";\nimport { lib } from "./lib.js";\nimport tls from "k6/x/tls";\nexport default function () { lib(tls); }',
      '/proj/lib.js': '"use k6 with k6/x/faker ~0.4";\nexport const lib = (x) => x;',
    });
    expect(contents.metadata.dependencies).toEqual({ k6: '>=2.0', 'k6/x/faker': '~0.4', 'k6/x/tls': '*' });
  });

  it('leaves built-in jslib modules out with a warning, and carries an input archive over whole', async () => {
    const first = await archiveOf({
      '/proj/main.js': "import { randomItem } from 'https://jslib.k6.io/k6-utils/1.4.0/index.js';\nconst t = open('./t.txt');\nexport default function () { return randomItem([t]); }",
      '/proj/t.txt': 'T',
    });
    expect(first.made.warnings).toEqual([
      'https://jslib.k6.io/k6-utils/1.4.0/index.js is not in the archive: Stampede serves its built-in copy, real k6 downloads it when it runs the archive',
    ]);
    expect(first.contents.remoteFiles.size).toBe(0);

    const io = memoryIo({});
    const again = await loadTest({ name: 'made.tar', data: first.made.data }, { iterations: 3 }, io);
    const second = await readArchive((await again.makeArchive()).data, 'again.tar');
    expect(io.reads).toEqual([]);
    expect(second.mainPath).toBe('/proj/main.js');
    expect(dec(second.localFiles.get('/proj/t.txt'))).toBe('T');
    expect(second.options).toMatchObject({ iterations: 3 });
  });
});

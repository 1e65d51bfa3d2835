// `stampede archive` as a user runs it: the real binary, the .tar it writes, and `stampede run` of
// that archive after the original files are gone.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = new URL('../bin/stampede.js', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'stampede-archive-'));

function stampede(args: string[], cwd = work): Promise<{ code: number | null; out: string; err: string; raw: Buffer }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      const raw = Buffer.concat(out);
      resolve({ code, out: raw.toString(), err, raw });
    });
  });
}

async function tarEntries(tar: Uint8Array): Promise<Map<string, { type: string; linkname: string | null; text: string }>> {
  const ex = extract();
  const out = new Map<string, { type: string; linkname: string | null; text: string }>();
  const done = (async () => {
    for await (const e of ex) {
      const chunks: Buffer[] = [];
      for await (const c of e) chunks.push(c as Buffer);
      out.set(e.header.name, { type: e.header.type ?? 'file', linkname: e.header.linkname ?? null, text: Buffer.concat(chunks).toString() });
    }
  })();
  ex.end(Buffer.from(tar));
  await done;
  return out;
}

/** A project whose script imports a local module, open()s a file by a literal path and one by a computed path. */
function project(name: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'lib'), { recursive: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'lib', 'helpers.js'), "export function shout(s) { return `${s.toUpperCase()}!`; }\n");
  writeFileSync(join(dir, 'data', 'users.json'), JSON.stringify([{ name: 'ann' }, { name: 'bob' }]));
  writeFileSync(join(dir, 'data', 'extra-2.txt'), 'computed path');
  writeFileSync(join(dir, 'main.js'), `import { check } from 'k6';
import { shout } from './lib/helpers.js';
const users = JSON.parse(open('./data/users.json'));
const extra = open(\`./data/extra-\${users.length}.txt\`);
export const options = { vus: 1, iterations: 2, thresholds: { checks: ['rate==1'] } };
export default function () {
  check(null, {
    'local module': () => shout(__ENV.GREETING || 'x') === 'HI!',
    'opened file': () => users[1].name === 'bob',
    'computed open path': () => extra === 'computed path',
  });
}
`);
  return dir;
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('stampede archive', () => {
  it("writes the script, its local module and opened files, options with the CLI's overrides, and env", async () => {
    const dir = project('layout');
    const r = await stampede(['archive', 'main.js', '-O', 'out.tar', '-u', '2', '-i', '6', '-e', 'GREETING=hi', '--tag', 'team=a'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('out.tar: main.js and 3 files it needs');
    const entries = await tarEntries(readFileSync(join(dir, 'out.tar')));
    expect([...entries.keys()].slice(0, 2)).toEqual(['metadata.json', 'data']);
    const meta = JSON.parse(entries.get('metadata.json')?.text ?? '') as Record<string, unknown>;
    expect(meta).toMatchObject({
      type: 'js',
      filename: `file://${dir}/main.js`,
      pwd: `file://${dir}/`,
      env: { GREETING: 'hi' },
      compatibilityMode: 'extended',
      k6version: expect.any(String),
      options: { vus: 2, iterations: 6, tags: { team: 'a' }, thresholds: { checks: ['rate==1'] } },
    });
    expect(entries.get('data')?.text).toContain("import { shout } from './lib/helpers.js'");
    expect(entries.get(`file${dir}/main.js`)).toMatchObject({ type: 'link', linkname: 'data' });
    expect(entries.get(`file${dir}/lib/helpers.js`)?.text).toContain('toUpperCase');
    expect(entries.get(`file${dir}/data/users.json`)?.text).toContain('bob');
    expect(entries.get(`file${dir}/data/extra-2.txt`)?.text).toBe('computed path');
    expect(entries.get('file')?.type).toBe('directory');

    const excluded = await stampede(['archive', 'main.js', '-O', 'no-env.tar', '-e', 'GREETING=hi', '--exclude-env-vars'], dir);
    expect(excluded.code).toBe(0);
    const noEnv = await tarEntries(readFileSync(join(dir, 'no-env.tar')));
    expect(JSON.parse(noEnv.get('metadata.json')?.text ?? '')).toMatchObject({ env: {} });
  }, 120_000);

  it('round-trips: `stampede run archive.tar` gives the iterations and checks of running the script, without the original files', async () => {
    const dir = project('roundtrip');
    const direct = await stampede(['run', '-q', '--workers', '1', '-u', '2', '-i', '6', '-e', 'GREETING=hi', 'main.js'], dir);
    expect(direct.code).toBe(0);
    expect(direct.out).toMatch(/iterations\.+: 6 /);
    expect(direct.out).toContain('checks_succeeded...: 100.00% 18 out of 18');

    expect((await stampede(['archive', 'main.js', '-O', join(work, 'roundtrip.tar'), '-u', '2', '-i', '6', '-e', 'GREETING=hi'], dir)).code).toBe(0);
    renameSync(dir, `${dir}-moved`);
    const fromArchive = await stampede(['run', '-q', '--workers', '1', 'roundtrip.tar']);
    expect(fromArchive.err).toBe('');
    expect(fromArchive.code).toBe(0);
    for (const line of ['✓ local module', '✓ opened file', '✓ computed open path', 'checks_succeeded...: 100.00% 18 out of 18']) {
      expect(fromArchive.out).toContain(line);
      expect(direct.out).toContain(line);
    }
    expect(fromArchive.out).toMatch(/iterations\.+: 6 /);
    // The archive's options are the consolidated ones: the run's flags still override them.
    expect((await stampede(['run', '-q', '--workers', '1', '-i', '2', 'roundtrip.tar'])).out).toMatch(/iterations\.+: 2 /);
  }, 120_000);

  it('re-archives an archive and writes to stdout with -O -', async () => {
    const dir = project('stdout');
    const r = await stampede(['archive', 'main.js', '-O', '-'], dir);
    expect(r.code).toBe(0);
    writeFileSync(join(work, 'stdout.tar'), r.raw);
    const again = await stampede(['archive', 'stdout.tar', '-O', 'again.tar', '-i', '3']);
    expect(again.code).toBe(0);
    const entries = await tarEntries(readFileSync(join(work, 'again.tar')));
    expect(entries.get(`file${dir}/data/extra-2.txt`)?.text).toBe('computed path');
    expect(JSON.parse(entries.get('metadata.json')?.text ?? '')).toMatchObject({ filename: `file://${dir}/main.js`, options: { iterations: 3 } });
  }, 120_000);

  it('bad input: a clear message, k6\'s exit code (107, 255 for a missing script) and no archive', async () => {
    const dir = join(work, 'bad');
    mkdirSync(dir);
    const cases: Array<[string, string, RegExp]> = [
      ['missing.js', '', /The moduleSpecifier \\"missing\.js\\" couldn't be found on local disk/],
      ['unknown.js', "import _ from 'lodash';\nexport default function () {}\n", /unknown module \\"lodash\\"/],
      ['remote.js', "import { x } from 'https://example.com/lib.js';\nexport default function () { x(); }\n", /cannot load remote module https:\/\/example\.com\/lib\.js: Stampede never downloads modules/],
      ['local.js', "import { y } from './nowhere.js';\nexport default function () { y(); }\n", /bad\/local\.js:1:\d+: The moduleSpecifier \\"\.\/nowhere\.js\\" couldn't be found on local disk/],
      ['opens.js', "const d = open('./absent.csv');\nexport default function () {}\n", /GoError: open .*\/bad\/absent\.csv: no such file or directory/],
    ];
    for (const [file, source, message] of cases) {
      if (source !== '') writeFileSync(join(dir, file), source);
      const r = await stampede(['archive', file, '-O', `${file}.tar`], dir);
      expect(r.code, file).toBe(file === 'missing.js' ? 255 : 107); // k6 attaches no exit code to a missing script
      expect(r.err, file).toMatch(message);
      expect(existsSync(join(dir, `${file}.tar`)), file).toBe(false);
    }
    writeFileSync(join(dir, 'ok.js'), 'export default function () {}\n');
    const badFlag = await stampede(['archive', 'ok.js', '-d', 'soon'], dir);
    expect(badFlag.code).toBe(255); // a malformed flag: no k6 exit code
    expect(badFlag.err).toContain('invalid duration \\"soon\\"'); // logfmt: msg is Go-quoted
    const unwritable = await stampede(['archive', 'ok.js', '-O', join(dir, 'no', 'such', 'dir.tar')], dir);
    expect(unwritable.code).toBe(1);
    expect(unwritable.err).toMatch(/cannot write the archive to .*dir\.tar/);
  }, 120_000);
});

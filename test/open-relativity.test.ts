// k6's rule for the directory a relative `open()` path is read from (grafana/k6 internal/js/bundle.go,
// its TestPathResolution cases): the module whose top-level code is running when `open` is called,
// with a deprecation warning when that is not the module the call is written in.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInput } from './scripts/engine-harness.ts';

const root = mkdtempSync(join(tmpdir(), 'stampede-open-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let cases = 0;
/** Writes `files` (paths under a fresh directory) and runs `main` among them. */
async function run(files: Record<string, string>, main: string, flags: { vus?: number; iterations?: number } = {}) {
  const dir = join(root, String(cases++));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const r = await runInput({ path: join(dir, main) }, { workers: 2, ...flags });
  return { ...r, dir, warnings: r.stderr.split('\n').filter((l) => l.includes('open() was used')) };
}

const CHECK = `if (data != "data file") { throw new Error("wrong content " + data); }\nexport default function () {}\n`;

describe('open() relative paths, as k6 resolves them', () => {
  it('at a module\'s top level: relative to that module, no warning (k6 "open simple", "open intermediate")', async () => {
    const simple = await run({ 'B/data.txt': 'data file', 'A/A/A/script.js': `export let data = open("../../../B/data.txt");\n${CHECK}` }, 'A/A/A/script.js');
    expect(simple.exitCode).toBe(0);
    const intermediate = await run({
      'B/data.txt': 'data file',
      'C/B/script.js': 'module.exports = open("../../B/data.txt");\n',
      'A/A/A/script.js': `let data = require("./../../../C/B/script.js");\n${CHECK}`,
    }, 'A/A/A/script.js');
    expect(intermediate.exitCode).toBe(0);
    expect([...simple.warnings, ...intermediate.warnings]).toEqual([]);
  });

  it('inside a function: relative to the module whose top-level code called it, with k6\'s warning once (k6 "open complex")', async () => {
    const r = await run({
      'B/data.txt': 'data file',
      'C/B/script.js': 'module.exports = () =>  open("./../data.txt");\n',
      'B/B/script.js': 'module.exports = require("./../../C/B/script.js")();\n',
      'A/A/A/script.js': `let data = require("./../../../B/B/script.js");\n${CHECK}`,
    }, 'A/A/A/script.js', { vus: 3, iterations: 3 });
    expect(r.exitCode).toBe(0);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain(`msg="open() was used and is currently relative to 'file://${r.dir}/B/B/', but in the future it will be aligned with how `
      + `\`require\` and imports work and will be relative to 'file://${r.dir}/C/B/script.js'. This means that in the future open will open relative path `);
  });

  it('a helper module\'s function called from the main script\'s top level reads from the main script\'s directory; from its own top level, from its own', async () => {
    const r = await run({
      'data/users.json': '["ann","bob"]',
      'lib/own.txt': 'lib file',
      'lib/helper.js': 'export function load(p) { return open(p); }\nexport const own = load("./own.txt");\n',
      'script.js': 'import { load, own } from "./lib/helper.js";\nconst users = JSON.parse(load("./data/users.json"));\n'
        + 'export default function () { if (users.length !== 2 || own !== "lib file") throw new Error("wrong " + users + own); }\n',
    }, 'script.js', { vus: 2, iterations: 4 });
    expect(r.stderr).not.toContain('wrong');
    expect(r.exitCode).toBe(0);
    expect(r.warnings).toHaveLength(1);
  });

  it('a space in a directory name is percent-encoded in the warning (k6 "open space in path")', async () => {
    const r = await run({
      'B D/data.txt': 'data file',
      'C D/B/script.js': 'module.exports = () =>  open("./../data.txt");\n',
      'B D/B/script.js': 'module.exports = require("./../../C D/B/script.js")();\n',
      'A/A/A/script.js': `let data = require("./../../../B D/B/script.js");\n${CHECK}`,
    }, 'A/A/A/script.js');
    expect(r.exitCode).toBe(0);
    expect(r.warnings[0]).toContain(`currently relative to 'file://${r.dir}/B%20D/B/'`);
  });
});

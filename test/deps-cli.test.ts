// `stampede deps` as a user runs it: k6 deps' human-readable and --json output for a script, the
// same script from stdin and as an archive, and its errors and exit codes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './scripts/cli-process.ts';

const work = mkdtempSync(join(tmpdir(), 'stampede-deps-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
mkdirSync(join(work, 'modules'));
writeFileSync(join(work, 'main.js'), 'import directive from "./modules/with-directive.js";\nimport tls from "k6/x/tls";\nimport http from "k6/http";\n\nexport default function () { directive(); }\n');
writeFileSync(join(work, 'modules', 'with-directive.js'), '"use k6 with k6/x/alpha >= 1.2.3";\nimport beta from "k6/x/beta";\nimport util from "./util.js";\n\nexport default function () { util(); beta(); }\n');
writeFileSync(join(work, 'modules', 'util.js'), 'export default function () { return "util"; }\n');
writeFileSync(join(work, 'builtin.js'), '"use k6 >= 2.0";\nimport tls from "k6/x/tls";\nexport default function () {}\n');
writeFileSync(join(work, 'bad.js'), '"use k6 with nothing";\nexport default function () {}\n');

const IMPORTS = [`file://${work}/main.js`, `file://${work}/modules/util.js`, `file://${work}/modules/with-directive.js`, 'k6/http', 'k6/x/beta', 'k6/x/tls'];

describe('stampede deps', { timeout: 120_000 }, () => {
  it("prints k6 deps' human-readable form", async () => {
    const r = await runCli(['deps', 'main.js'], { cwd: work });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([
      'Build Dependencies:', '  k6: *', '  k6/x/alpha: >=1.2.3', '  k6/x/beta: *', '  k6/x/tls: *', '',
      'Imports:', ...IMPORTS.map((i) => `  ${i}`), '',
      'Custom Build Required: yes', '',
    ].join('\n'));
  });

  it('--json: the same as k6 encodes it; only built-in extensions and a met k6 constraint need no custom build', async () => {
    const r = await runCli(['deps', '--json', 'main.js'], { cwd: work });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${JSON.stringify({
      buildDependencies: { k6: '*', 'k6/x/alpha': '>=1.2.3', 'k6/x/beta': '*', 'k6/x/tls': '*' },
      imports: IMPORTS,
      customBuildRequired: true,
    }, null, 2)}\n`);
    const builtIn = await runCli(['deps', '--json', 'builtin.js'], { cwd: work });
    expect(JSON.parse(builtIn.stdout)).toEqual({ buildDependencies: { k6: '>=2.0', 'k6/x/tls': '*' }, imports: [`file://${work}/builtin.js`, 'k6/x/tls'], customBuildRequired: false });
    const manifest = await runCli(['deps', '--json', 'builtin.js'], { cwd: work, env: { K6_DEPENDENCIES_MANIFEST: '{"k6/x/tls": ">0.1"}' } });
    expect(JSON.parse(manifest.stdout)).toMatchObject({ buildDependencies: { k6: '>=2.0', 'k6/x/tls': '>0.1' } });
  });

  it('reads - from stdin (its main is file:///-) and an archive made by stampede archive', async () => {
    const stdin = await runCli(['deps', '--json', '-'], { cwd: work, stdin: 'import "./modules/util.js";\nimport tls from "k6/x/tls";\nexport default function () {}\n' });
    expect(stdin.code).toBe(0);
    expect(JSON.parse(stdin.stdout)).toEqual({ buildDependencies: { k6: '*', 'k6/x/tls': '*' }, imports: ['file:///-', `file://${work}/modules/util.js`, 'k6/x/tls'], customBuildRequired: false });
    const made = await runCli(['archive', 'builtin.js', '-O', 'builtin.tar'], { cwd: work });
    expect(made.code).toBe(0);
    const fromArchive = await runCli(['deps', '--json', 'builtin.tar'], { cwd: work });
    expect(fromArchive.code).toBe(0);
    expect(JSON.parse(fromArchive.stdout)).toMatchObject({ buildDependencies: { k6: '>=2.0', 'k6/x/tls': '*' }, customBuildRequired: false });
  });

  it("fails as k6 does: a bad directive (255), a missing file (255), a script error (107)", async () => {
    const bad = await runCli(['deps', 'bad.js'], { cwd: work });
    expect(bad.code).toBe(255);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain(`could not initialize 'bad.js': could not load JS test 'file://${work}/bad.js': error while parsing use directives constraint \\"with nothing\\" for \\"k6\\"`);
    const missing = await runCli(['deps', 'nope.js'], { cwd: work });
    expect(missing.code).toBe(255);
    expect(missing.stderr).toContain('The moduleSpecifier \\"nope.js\\" couldn\'t be found on local disk.');
    writeFileSync(join(work, 'broken.js'), 'export default function ( {\n');
    expect((await runCli(['deps', 'broken.js'], { cwd: work })).code).toBe(107);
  });
});

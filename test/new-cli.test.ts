// `stampede new` as a user runs it: k6 new's files, messages and errors, and the minimal and protocol
// templates run by `stampede run` against a local stand-in for QuickPizza (BASE_URL).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './scripts/cli-process.ts';

const work = mkdtempSync(join(tmpdir(), 'stampede-new-'));
let baseUrl = '';
let posted: unknown[] = [];
let server: http.Server;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/broken/') {
        res.writeHead(503).end();
      } else if (req.method === 'POST' && req.url === '/api/pizza') {
        posted.push({ auth: req.headers.authorization, wishes: JSON.parse(body) as unknown });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ pizza: { name: 'Margherita', ingredients: [{ name: 'tomato' }, { name: 'basil' }] } }));
      } else {
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<h1>pizza</h1>');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(work, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args, { cwd: work });

describe('stampede new', { timeout: 120_000 }, () => {
  it('writes script.js from the minimal template, which stampede run runs', async () => {
    const r = await cli(['new']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('New script created: script.js (minimal template).\n');
    const text = readFileSync(join(work, 'script.js'), 'utf8');
    expect(text).toContain("vus: 10,\n  duration: '30s',\n};");
    expect(text).not.toContain('cloud');
    expect(text).not.toContain('{{');

    const run = await cli(['run', '-q', '-e', `BASE_URL=${baseUrl}`, '-u', '1', '-i', '2', 'script.js']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ status is 200');
    expect(run.stdout).toMatch(/checks_succeeded\.*: 100\.00% 2 out of 2/);
  });

  it("keeps an existing file unless --force, with k6's error and exit code", async () => {
    writeFileSync(join(work, 'mine.js'), 'keep me');
    const r = await cli(['new', 'mine.js']);
    expect(r.code).toBe(255);
    expect(r.stderr).toContain('level=error msg="mine.js already exists. Use the `--force` flag to overwrite it"');
    expect(r.stdout).toBe('');
    expect(readFileSync(join(work, 'mine.js'), 'utf8')).toBe('keep me');

    const forced = await cli(['new', '-f', 'mine.js']);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(work, 'mine.js'), 'utf8')).toContain("import http from 'k6/http';");
  });

  it('writes the protocol template with a cloud block for --project-id; it runs its setup, POSTs and thresholds', async () => {
    const r = await cli(['new', '--template', 'protocol', '--project-id', '4242', 'api.js']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('New script created: api.js (protocol template).\n');
    expect(readFileSync(join(work, 'api.js'), 'utf8')).toContain("cloud: {\n    projectID: 4242,\n    name: 'api.js',\n  },");

    posted = [];
    // Two short stages instead of the template's 31 s.
    const run = await cli(['run', '-e', `BASE_URL=${baseUrl}`, '-s', '1s:2', '-s', '1s:0', 'api.js']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✓ 'rate<0\.01' rate=0\.00%/);
    expect(run.stdout).toContain("✓ 'p(99)<1000'");
    expect(run.stderr).toContain('msg="Margherita (2 ingredients)" source=console');
    expect(posted.length).toBeGreaterThan(0);
    expect(posted[0]).toEqual({
      auth: 'token abcdef0123456789',
      wishes: {
        maxCaloriesPerSlice: 500, mustBeVegetarian: false, excludedIngredients: ['pepperoni'], excludedTools: ['knife'],
        maxNumberOfToppings: 6, minNumberOfToppings: 2,
      },
    });

    // setup() aborts the test when the service does not answer 200 (k6's exit code 108).
    const broken = await cli(['run', '-q', '-e', `BASE_URL=${baseUrl}/broken/`, '-s', '1s:1', 'api.js']);
    expect(broken.code).toBe(108);
    expect(broken.stderr).toContain('answered 503 in setup');
  });

  it('writes the browser template (k6/browser scripts run, given a Chromium)', async () => {
    const r = await cli(['new', '--template', 'browser', 'ui.js']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('New script created: ui.js (browser template).\n');
    expect(r.stderr).toBe('');
    expect(readFileSync(join(work, 'ui.js'), 'utf8')).toContain("import { browser } from 'k6/browser';");
  });

  it('renders a custom template file given by path, and rejects unknown template names', async () => {
    writeFileSync(join(work, 'mine.tmpl'), '// {{ .ScriptName }}{{ if .ProjectID }} in project {{ .ProjectID }}{{ else }} (no project){{ end }}\n{{- /* gone */ -}}\nexport default function () {}\n');
    const custom = await cli(['new', '--template', './mine.tmpl', '--project-id', '7', 'c.js']);
    expect(custom.code).toBe(0);
    expect(custom.stdout).toBe('New script created: c.js (./mine.tmpl template).\n');
    expect(readFileSync(join(work, 'c.js'), 'utf8')).toBe('// c.js in project 7export default function () {}\n');

    const plain = await cli(['new', '--template', `${work}/mine.tmpl`, 'd.js']);
    expect(plain.code).toBe(0);
    expect(readFileSync(join(work, 'd.js'), 'utf8')).toBe('// d.js (no project)export default function () {}\n');

    const unknown = await cli(['new', '--template', 'mine.tmpl', 'e.js']);
    expect(unknown.code).toBe(255);
    expect(unknown.stderr).toContain('invalid template type \\"mine.tmpl\\", did you mean ./mine.tmpl?');
    expect(existsSync(join(work, 'e.js'))).toBe(false);

    writeFileSync(join(work, 'bad.tmpl'), 'x {{ .Nope }}\n');
    const bad = await cli(['new', '--template', './bad.tmpl', 'f.js']);
    expect(bad.code).toBe(255);
    expect(bad.stderr).toContain("can't evaluate field Nope");
    expect(existsSync(join(work, 'f.js'))).toBe(false);

    expect((await cli(['new', 'a.js', 'b.js'])).code).toBe(255);
  });
});

import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from './api-client.ts';
import { EXIT_CLOUD_RUN_FAILED, EXIT_PASSED, EXIT_THRESHOLDS_FAILED, cloudRun, exitCodeFor } from './cloud-run.ts';
import { configPath, loadCredentials, saveCredentials } from './credentials.ts';
import { renderTable } from './table.ts';
import { tempDirsRemovedAfterEach } from '../../../test/scripts/temp-dirs.ts';

/** A fresh folder in the system temp folder, removed after the test. */
const tempDir = tempDirsRemovedAfterEach();

describe('credentials', () => {
  it('are saved with mode 0600 and overridden by the environment', async () => {
    const dir = await tempDir('stampede-cfg-');
    const env = { XDG_CONFIG_HOME: dir } as NodeJS.ProcessEnv;
    await saveCredentials(env, { url: 'http://127.0.0.1:1', token: 'saved', stackId: '3' });
    expect((await stat(configPath(env))).mode & 0o777).toBe(0o600);
    expect(await loadCredentials(env)).toEqual({ url: 'http://127.0.0.1:1', token: 'saved', stackId: '3' });
    expect(await loadCredentials({ ...env, K6_CLOUD_TOKEN: 'env', K6_CLOUD_STACK_ID: '7', STAMPEDE_URL: 'http://x/' }))
      .toEqual({ url: 'http://x', token: 'env', stackId: '7' });
    expect(JSON.parse(await readFile(configPath(env), 'utf8'))).toMatchObject({ token: 'saved' });
  });
  it("take k6's K6_CLOUD_HOST_V6 as the server (below STAMPEDE_URL) and K6_CLOUD_PROJECT_ID as the project", async () => {
    const dir = await tempDir('stampede-cfg-');
    const env = { XDG_CONFIG_HOME: dir, K6_CLOUD_TOKEN: 't', K6_CLOUD_STACK_ID: '2', K6_CLOUD_HOST_V6: 'http://k6host:1/', K6_CLOUD_PROJECT_ID: '8' } as NodeJS.ProcessEnv;
    expect(await loadCredentials(env)).toEqual({ url: 'http://k6host:1', token: 't', stackId: '2', projectId: 8 });
    expect((await loadCredentials({ ...env, STAMPEDE_URL: 'http://mine:2' })).url).toBe('http://mine:2');
  });
  it('say how to log in when nothing is known', async () => {
    const dir = await tempDir('stampede-cfg-');
    await expect(loadCredentials({ XDG_CONFIG_HOME: dir } as NodeJS.ProcessEnv)).rejects.toThrow(/stampede login/);
  });
});

describe('exit codes of a finished cloud run', () => {
  it('follow k6 v2: passed (or no result yet) 0, failed (thresholds) 99, error 97', () => {
    expect(exitCodeFor({ status: 'completed', result: 'passed' })).toBe(EXIT_PASSED);
    expect(exitCodeFor({ status: 'running', result: null })).toBe(EXIT_PASSED);
    expect(exitCodeFor({ status: 'completed', result: 'failed' })).toBe(EXIT_THRESHOLDS_FAILED);
    expect(exitCodeFor({ status: 'aborted', result: 'failed' })).toBe(EXIT_THRESHOLDS_FAILED);
    expect(exitCodeFor({ status: 'aborted', result: 'error' })).toBe(EXIT_CLOUD_RUN_FAILED);
  });
});

describe('renderTable', () => {
  it('aligns columns and shows missing values as -', () => {
    expect(renderTable(['ID', 'NAME'], [[1, 'alpha'], [22, null]])).toBe('ID  NAME\n1   alpha\n22  -\n');
  });
  it('aligns names in CJK, emoji and combining marks by the cells a terminal gives them', () => {
    const table = renderTable(['ID', 'NAME', 'DEFAULT'], [[1, '负载测试', 'yes'], [2, 'load 🚀', ''], [3, 'cafe\u0301', 'no'], [4, 'beta', 'no']]);
    expect(table).toBe(['ID  NAME      DEFAULT', '1   负载测试  yes', '2   load 🚀', '3   cafe\u0301      no', '4   beta      no', ''].join('\n'));
  });
  it('keeps a row on one line: control characters in a value are shown escaped', () => {
    expect(renderTable(['ID', 'NAME'], [[1, 'two\nlines'], [2, 'bell\u0007\u001b[31mred']])).toBe('ID  NAME\n1   two\\nlines\n2   bell\\u0007\\u001b[31mred\n');
  });
});

// A tiny stand-in of the v6 API, enough to follow one cloud run from upload to its end.
describe('cloudRun against a v6 server', () => {
  const seen: string[] = [];
  const uploads: string[] = [];
  let polls = 0;
  let conflictOnCreate = false;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${req.headers['k6-idempotency-key'] ? 'key' : ''}`.trim());
      if (req.url === '/cloud/v6/projects/9/load_tests' && req.method === 'POST') uploads.push(Buffer.concat(chunks).toString('latin1'));
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== 'Bearer t0k' || req.headers['x-stack-id'] !== '5') return json(401, { error: { code: 'unauthenticated', message: 'bad token' } });
      if (req.url === '/cloud/v6/validate_options') return json(200, { vuh_usage: 0.5, breakdown: {} });
      if (req.url === '/cloud/v6/auth') return json(200, { stack_id: 5, default_project_id: 9 });
      if (req.url === '/cloud/v6/projects/9/load_tests' && req.method === 'POST') {
        return conflictOnCreate ? json(409, { error: { code: 'conflict', message: 'exists' } }) : json(201, { id: 4 });
      }
      if (req.url?.startsWith('/cloud/v6/projects/9/load_tests?name=')) return json(200, { value: [{ id: 4, name: 'demo' }] });
      if (req.url === '/cloud/v6/load_tests/4/script' && req.method === 'PUT') return json(204, {});
      if (req.url === '/cloud/v6/load_tests/4/start') return json(200, { id: 11, status: 'queued', result: null, estimated_duration: 40, execution_duration: 0 });
      if (req.url === '/cloud/v6/test_runs/11') {
        polls++;
        return json(200, polls < 3
          ? { id: 11, status: 'running', result: null, estimated_duration: 40, execution_duration: polls }
          : { id: 11, status: 'completed', result: 'failed', estimated_duration: 40, execution_duration: 10, cost: { total_vuh: 0.5 } });
      }
      if (req.url?.startsWith('/cloud/v5/test_runs/11/query_aggregate_k6(')) {
        const q = decodeURIComponent(req.url);
        const value = q.includes("metric='http_reqs'") ? 123.4 : q.includes("metric='vus'") ? 7 : 42.5;
        return json(200, { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, values: [[1, value]] }] } });
      }
      if (req.url === '/cloud/v6/test_runs/11/summary') return json(200, { text: 'SUMMARY TEXT\n' });
      return json(404, { error: { code: 'not_found', message: 'Not found' } });
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  async function follow(packed: string[] = []) {
    const dir = await tempDir('stampede-cr-');
    const script = join(dir, 'demo.js');
    await import('node:fs/promises').then((fs) => fs.writeFile(script, 'export default function () {}'));
    let out = '';
    const upload = new TextEncoder().encode(packed.length > 0 ? 'TAR BYTES' : 'JS BYTES');
    const logs: string[] = [];
    const code = await cloudRun(script, { options: { vus: 1, cloud: { name: 'demo' } }, upload, isTar: packed.length > 0, packed }, {}, {
      client: new ApiClient({ url, token: 't0k', stackId: '5' }),
      out: (s) => void (out += s),
      log: (level, msg) => void logs.push(`${level}: ${msg}`),
      onInterrupt: () => {},
      sleep: async () => {},
    });
    out += logs.map((l) => `LOG ${l}\n`).join('');
    return { code, out };
  }

  it('validates, uploads, starts with an idempotency key, follows to the end and exits 99 on failed thresholds', async () => {
    const { code, out } = await follow();
    expect(code).toBe(99);
    expect(out).toContain('estimated usage 0.5 VUh');
    expect(out).toMatch(/running +vus=7 reqs\/s=123\.4 p95=42\.50ms elapsed=1s\/40s/);
    expect(out).toContain('test run 11 completed, result failed');
    expect(out).toContain('SUMMARY TEXT');
    expect(out).toContain('     test status: Finished\n');
    expect(out).toContain('LOG error: Thresholds have been crossed');
    expect(out).toContain('LOG warn: No projectID specified, using default project of the stack-? stack');
    expect(seen).toContain('POST /cloud/v6/load_tests/4/start key');
  });

  it('uploads the prepared archive as a tar and says which files it packed', async () => {
    polls = 0;
    uploads.length = 0;
    const { out } = await follow(['/w/lib.js', '/w/data.csv']);
    expect(out).toContain('uploading a k6 archive of demo.js and 2 local files it needs');
    expect(uploads[0]).toContain('Content-Type: application/x-tar');
    expect(uploads[0]).toContain('TAR BYTES');
  });

  it('updates the script of an existing load test on 409', async () => {
    conflictOnCreate = true;
    polls = 0;
    seen.length = 0;
    await follow();
    expect(seen).toContain('PUT /cloud/v6/load_tests/4/script');
  });

  it("stops the run on the first Ctrl+C and exits 105 on the second, with k6's lines", async () => {
    polls = 0;
    seen.length = 0;
    const logs: string[] = [];
    let handler = (): void => {};
    let sleeps = 0;
    const code = await cloudRun('demo.js', { options: { cloud: { projectID: 9, name: 'demo' } }, upload: new Uint8Array([1]), isTar: false, packed: [] }, {}, {
      client: new ApiClient({ url, token: 't0k', stackId: '5' }),
      out: () => {},
      log: (level, msg) => void logs.push(`${level}: ${msg}`),
      onInterrupt: (h) => void (handler = h),
      sleep: async () => {
        sleeps++;
        if (sleeps <= 2) handler();
        await new Promise((ok) => setTimeout(ok, 20));
      },
    });
    expect(code).toBe(105);
    expect(logs).toContain('info: Stopping cloud test run in response to signal...');
    expect(logs).toContain("error: Aborting k6 in response to signal, we won't wait for the test to end.");
    expect(seen).toContain('POST /cloud/v6/test_runs/11/abort');
  });

  it('exits 98 with "Test progress error" when the run cannot be read at all', async () => {
    class Lost extends ApiClient {
      override async json<T>(path: string, opts?: Parameters<ApiClient['json']>[1]): Promise<T> {
        if (path === '/cloud/v6/test_runs/11') throw new ApiError(404, '404: not found');
        return super.json<T>(path, opts);
      }
    }
    const logs: string[] = [];
    const code = await cloudRun('demo.js', { options: { cloud: { projectID: 9, name: 'demo' } }, upload: new Uint8Array([1]), isTar: false, packed: [] }, {}, {
      client: new Lost({ url, token: 't0k', stackId: '5' }),
      out: () => {},
      log: (level, msg) => void logs.push(`${level}: ${msg}`),
      onInterrupt: () => {},
      sleep: async () => {},
    });
    expect(code).toBe(98);
    expect(logs).toContain('error: Test progress error');
  });

  it('turns error answers into clear messages', async () => {
    const client = new ApiClient({ url, token: 'wrong', stackId: '5' });
    const err = await client.json('/cloud/v6/test_runs').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('401: bad token');
  });
});

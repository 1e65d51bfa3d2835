// Compressed request bodies through the whole app (inject): decoded before parsing, limited after
// decoding, and refused in the ErrorResponse shape when they cannot be read.
import { gzipSync, deflateSync, brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, multipartBody } from './test-support/api-harness.ts';
import type { Harness } from './test-support/api-harness.ts';

describe('request Content-Encoding', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('sqlite', { bodyLimitBytes: 4096 });
  });
  afterAll(async () => {
    await h?.close();
  });

  const post = (payload: Buffer, encoding: string, type = 'application/json') =>
    h.call('POST', '/cloud/v6/projects', { payload, headers: { 'content-type': type, 'content-encoding': encoding } });

  it('gzip, deflate and br JSON bodies create what the plain body creates', async () => {
    const json = (name: string): Buffer => Buffer.from(JSON.stringify({ name }));
    for (const [encoding, compress] of [['gzip', gzipSync], ['x-gzip', gzipSync], ['deflate', deflateSync], ['br', brotliCompressSync]] as const) {
      const created = await post(compress(json(`compressed ${encoding}`)), encoding);
      expect(created.status).toBe(201);
      expect(created.body.name).toBe(`compressed ${encoding}`);
    }
    // Codings applied one after another are undone in reverse; identity changes nothing.
    const twice = await post(brotliCompressSync(gzipSync(json('twice'))), 'gzip, br');
    expect(twice.status).toBe(201);
    expect((await post(json('plain'), 'identity')).status).toBe(201);
  });

  // The operation documents neither 413 nor 415: both are 400s naming what is wrong (operation-contract.ts).
  it('an unknown coding, a corrupt body and a body that expands past the limit are refused, naming the cause', async () => {
    const unknown = await post(Buffer.from('{"name":"x"}'), 'compress');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.target).toBe('Content-Encoding');
    expect(unknown.body.error.message).toBe('Unsupported Content-Encoding "compress". Send it uncompressed, or compressed with gzip, deflate or br');
    const corrupt = await post(Buffer.from('{"name":"not gzip at all"}'), 'gzip');
    expect(corrupt.status).toBe(400);
    expect(corrupt.body.error.message).toMatch(/^Malformed request body: it is not valid gzip data/);
    // 20 KB of JSON compresses to well under the 4 KB limit.
    const bomb = await post(gzipSync(Buffer.from(JSON.stringify({ name: 'x', pad: ' '.repeat(20_000) }))), 'gzip');
    expect(bomb.status).toBe(400);
    expect(bomb.body.error.target).toBe('body');
    // Nothing was created by any of them.
    const names = (await h.call('GET', '/cloud/v6/projects?$top=1000')).body.value.map((p: { name: string }) => p.name);
    expect(names.filter((n: string) => n === 'x' || n === 'not gzip at all')).toEqual([]);
  });

  it('a compressed multipart upload is refused, saying why', async () => {
    const form = multipartBody({ name: 'zipped upload' });
    const res = await h.call('POST', `/cloud/v6/projects/${h.projectId}/load_tests`, { payload: gzipSync(form.payload), headers: { 'content-type': form.contentType, 'content-encoding': 'gzip' } });
    expect(res.status).toBe(400);
    expect(res.body.error.target).toBe('Content-Encoding');
    expect(res.body.error.message).toMatch(/^A multipart body cannot have a Content-Encoding \(gzip\)/);
  });
});

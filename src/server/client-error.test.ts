// Requests Node's HTTP parser refuses (so no route ever sees them) over a real socket: the answer is
// still the API's ErrorResponse, and the server keeps serving.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness } from './test-support/api-harness.ts';
import type { Harness } from './test-support/api-harness.ts';
import { createSpecValidator } from './openapi/schema-validator.ts';

const errorShape = createSpecValidator().compile('#/components/schemas/ErrorResponseApiModel');

describe('malformed HTTP requests', () => {
  let h: Harness;
  let port = 0;
  beforeAll(async () => {
    h = await createHarness('sqlite');
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    port = (h.app.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Sends raw bytes and reads until the server closes (or 2 s pass). */
  function send(raw: string): Promise<{ status: number; body: unknown }> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let out = '';
      const timer = setTimeout(() => socket.destroy(), 2000);
      socket.on('data', (d) => (out += d.toString('utf8')));
      socket.on('error', reject);
      socket.on('close', () => {
        clearTimeout(timer);
        const [head = '', body = ''] = out.split('\r\n\r\n');
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), body: body === '' ? null : JSON.parse(body) });
      });
      socket.write(raw);
    });
  }

  const auth = () => `Authorization: Bearer ${h.token}\r\nX-Stack-Id: ${h.stackId}\r\n`;
  const cases: [string, () => string, number][] = [
    ['a chunk size that is not hex', () => `POST /cloud/v6/projects HTTP/1.1\r\nHost: a\r\n${auth()}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, 400],
    ['two Content-Length headers', () => `POST /cloud/v6/projects HTTP/1.1\r\nHost: a\r\n${auth()}Content-Type: application/json\r\nContent-Length: 12\r\nContent-Length: 13\r\n\r\n{"name":"x"}`, 400],
    ['a Content-Length that is no number', () => `POST /cloud/v6/projects HTTP/1.1\r\nHost: a\r\n${auth()}Content-Length: abc\r\n\r\n`, 400],
    ['a NUL in a header', () => `GET /cloud/v6/projects HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer a\u0000b\r\n\r\n`, 400],
    ['a space in the path', () => `GET /cloud/v6/projects/1 2 HTTP/1.1\r\nHost: a\r\n\r\n`, 400],
    ['no request line at all', () => 'GARBAGE\r\n\r\n', 400],
    ['headers past the size limit', () => `GET /cloud/v6/projects HTTP/1.1\r\nHost: a\r\n${auth()}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
  ];
  for (const [what, raw, status] of cases) {
    it(`${what}: ${status} with an ErrorResponse body`, async () => {
      const res = await send(raw());
      expect(res.status).toBe(status);
      expect(errorShape(res.body), JSON.stringify(res.body)).toBe(true);
    });
  }

  it('still serves afterwards', async () => {
    const res = await send(`GET /cloud/v6/projects?$top=0 HTTP/1.1\r\nHost: a\r\n${auth()}Connection: close\r\n\r\n`);
    expect(res.status).toBe(200);
    expect((await h.call('GET', '/cloud/v6/projects?$count=true&$top=0')).body['@count']).toBe(1);
  });
});

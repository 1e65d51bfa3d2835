// A body past STAMPEDE_BODY_LIMIT_BYTES over a real socket, sent whole by a client that reads the
// answer only once it has written its request, as Go's net/http (so Grafana's generated Go client),
// Python's http.client and many others do: the client must get the 400, not a reset connection.
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness } from './test-support/api-harness.ts';
import type { Harness } from './test-support/api-harness.ts';

describe('a request body over the limit, sent whole before the answer is read', () => {
  let h: Harness;
  let port = 0;
  let loadTestId = 0;
  beforeAll(async () => {
    h = await createHarness('sqlite', { bodyLimitBytes: 4096 });
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    port = (h.app.server.address() as { port: number }).port;
    const boundary = 'b0undary';
    const form = `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nlimit\r\n--${boundary}\r\nContent-Disposition: form-data; name="script"; filename="s.js"\r\n\r\nexport default function () {}\r\n--${boundary}--\r\n`;
    const created = await h.call('POST', `/cloud/v6/projects/${h.projectId}/load_tests`, { payload: form, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    loadTestId = created.body.id as number;
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Writes the head and `bodyBytes` of body without reading, then reads what the server answered. */
  function sendWhole(head: string, bodyBytes: number): Promise<{ status: number; body: string; writeError: string | null }> {
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.pause();
      let out = '';
      let writeError: string | null = null;
      const timer = setTimeout(() => socket.destroy(), 20_000);
      socket.on('error', (err) => {
        writeError ??= (err as NodeJS.ErrnoException).code ?? err.message;
      });
      socket.on('data', (d) => (out += d.toString('utf8')));
      socket.on('close', () => {
        clearTimeout(timer);
        const [headText = '', body = ''] = out.split('\r\n\r\n');
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headText)?.[1] ?? 0), body, writeError });
      });
      socket.write(head);
      const chunk = Buffer.alloc(64 * 1024, 0x2f);
      let left = bodyBytes;
      const pump = (): void => {
        while (left > 0) {
          const n = Math.min(left, chunk.length);
          left -= n;
          if (!socket.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
            socket.once('drain', pump);
            return;
          }
        }
        // All written: only now does this client read the answer.
        socket.end(() => socket.resume());
      };
      pump();
    });
  }

  const auth = () => `Authorization: Bearer ${h.token}\r\nX-Stack-Id: ${h.stackId}\r\n`;

  it('a script PUT of 16 MB against a 4 KB limit is answered 400, target body', async () => {
    const size = 16 * 1024 * 1024;
    const res = await sendWhole(`PUT /cloud/v6/load_tests/${loadTestId}/script HTTP/1.1\r\nHost: a\r\n${auth()}Content-Type: application/octet-stream\r\nContent-Length: ${size}\r\n\r\n`, size);
    expect(res.writeError).toBeNull();
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'error', target: 'body' } });
  });

  it('a JSON body of 16 MB is answered 400 too, and so is one sent chunked', async () => {
    const size = 16 * 1024 * 1024;
    const res = await sendWhole(`POST /cloud/v6/projects HTTP/1.1\r\nHost: a\r\n${auth()}Content-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`, size);
    expect([res.writeError, res.status]).toEqual([null, 400]);
    // Chunked: one 8 MB chunk, then the last chunk.
    const chunkSize = 8 * 1024 * 1024;
    const chunked = await sendWhole(`POST /cloud/v6/projects HTTP/1.1\r\nHost: a\r\n${auth()}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunkSize.toString(16)}\r\n`, chunkSize);
    expect(chunked.writeError).toBeNull();
    expect(chunked.status).toBe(400);
  });

  it('the server still serves afterwards', async () => {
    const res = await h.call('GET', `/cloud/v6/load_tests/${loadTestId}`);
    expect(res.status).toBe(200);
  });
});

/**
 * Everything the server answers to `bytes` written raw on one connection. Written, not ended: the
 * client waits for the answer with its side open, as curl does.
 */
function rawAnswer(port: number, bytes: Buffer): Promise<string> {
  return new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    socket.on('data', (d) => (out += d.toString('utf8')));
    socket.on('error', () => {});
    socket.on('close', () => resolve(out));
    socket.write(bytes);
  });
}

describe('a compressed request body that decodes past the limit', () => {
  it('is a 400 without a token, at once, and the server lives on when the body then breaks', async () => {
    // The decoder's "unexpected end of file" came after the body parser had stopped listening for
    // errors (the body was already too large): an unhandled 'error' event stopped the whole server.
    const h = await createHarness('sqlite');
    try {
      await h.app.listen({ host: '127.0.0.1', port: 0 });
      const port = (h.app.server.address() as { port: number }).port;
      // gzip members decode one after another: 16 of 32 MiB of zeros, the last one cut short.
      const member = gzipSync(Buffer.alloc(32 * 1024 * 1024));
      const body = Buffer.concat([...Array.from({ length: 15 }, () => member), member.subarray(0, member.length >> 1)]);
      const head = `POST /cloud/v6/projects HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\n\r\n`;
      const answer = await rawAnswer(port, Buffer.concat([Buffer.from(head), body]));
      expect(answer).toMatch(/^HTTP\/1\.1 400/);
      // A whole gigabyte of zeros (1 MB sent) is answered once it has arrived: the rest is no longer
      // fed to a decoder nobody reads, which kept the answer back for 12 s and more (the drain's 15 s bound).
      const bomb = Buffer.concat(Array.from({ length: 32 }, () => member));
      const started = Date.now();
      const bombAnswer = await rawAnswer(port, Buffer.concat([Buffer.from(head.replace(`Content-Length: ${body.length}`, `Content-Length: ${bomb.length}`)), bomb]));
      expect(bombAnswer).toMatch(/^HTTP\/1\.1 400/);
      expect(Date.now() - started).toBeLessThan(5_000);
      await new Promise((r) => setTimeout(r, 500));
      expect((await h.call('GET', `/cloud/v6/projects/${h.projectId}`)).status).toBe(200);
    } finally {
      await h.close();
    }
  }, 60_000);
});

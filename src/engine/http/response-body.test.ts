import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BodyDecodeError, decodeBody } from './response-body.ts';

const decode = (body: Buffer, encoding: string): string => decodeBody([body], body.length, encoding).toString('utf8');
const failure = (body: Buffer, encoding: string): [string, number] => {
  try {
    decodeBody([body], body.length, encoding);
  } catch (err) {
    expect(err).toBeInstanceOf(BodyDecodeError);
    return [(err as BodyDecodeError).message, (err as BodyDecodeError).code];
  }
  throw new Error('decoded');
};
const text = Buffer.from('{"hello":"world"}');

describe('decodeBody', () => {
  it('undoes gzip, deflate (zlib format) and br, and several codings from the last one', () => {
    expect(decode(gzipSync(text), 'gzip')).toBe('{"hello":"world"}');
    expect(decode(deflateSync(text), 'deflate')).toBe('{"hello":"world"}');
    expect(decode(brotliCompressSync(text), 'br')).toBe('{"hello":"world"}');
    expect(decode(brotliCompressSync(gzipSync(text)), 'gzip , br')).toBe('{"hello":"world"}');
    expect(decode(text, 'identity')).toBe('{"hello":"world"}');
  });

  it('refuses raw deflate data sent as deflate, as Go’s zlib reader does (grafana/k6#419)', () => {
    expect(failure(deflateRawSync(text), 'deflate')).toEqual(['error decompressing response body (zlib: invalid header)', 1701]);
  });

  it('words header failures as k6 does: `error decompressing response body (…)`, 1701', () => {
    expect(failure(Buffer.from('Definitely not gzip'), 'gzip')).toEqual(['error decompressing response body (gzip: invalid header)', 1701]);
    expect(failure(Buffer.from('Definitely not deflate'), 'deflate')).toEqual(['error decompressing response body (zlib: invalid header)', 1701]);
    expect(failure(Buffer.from([0x1f, 0x8b, 8]), 'gzip')).toEqual(['error decompressing response body (unexpected EOF)', 1701]);
    expect(failure(Buffer.from('Definitely not br'), 'br')[0]).toMatch(/^error decompressing response body \(brotli: /);
  });

  it('fails an empty gzip or deflate body (k6 skips decoding only for 1xx, 204 and 304: grafana/k6#3438); an empty br body is empty', () => {
    expect(failure(Buffer.alloc(0), 'gzip')).toEqual(['error decompressing response body (EOF)', 1701]);
    expect(failure(Buffer.alloc(0), 'deflate')).toEqual(['error decompressing response body (unexpected EOF)', 1701]);
    expect(decode(Buffer.alloc(0), 'br')).toBe('');
    expect(decode(Buffer.alloc(0), 'custom')).toBe('');
  });

  it('a stream cut inside the compressed data is Go’s bare `unexpected EOF` (1000), which k6 does not wrap', () => {
    const gz = gzipSync(Buffer.from('x'.repeat(2000) + Math.random()));
    expect(failure(gz.subarray(0, gz.length - 6), 'gzip')).toEqual(['unexpected EOF', 1000]);
    const zl = deflateSync(Buffer.from('y'.repeat(2000) + Math.random()));
    expect(failure(zl.subarray(0, zl.length - 6), 'deflate')).toEqual(['unexpected EOF', 1000]);
  });

  it('a trailer whose checksum does not match is Go’s checksum error', () => {
    const gz = gzipSync(text);
    gz[gz.length - 8] = (gz[gz.length - 8] as number) ^ 0xff;
    expect(failure(gz, 'gzip')).toEqual(['error decompressing response body (gzip: invalid checksum)', 1701]);
    const zl = deflateSync(text);
    zl[zl.length - 1] = (zl[zl.length - 1] as number) ^ 0xff;
    expect(failure(zl, 'deflate')).toEqual(['error decompressing response body (zlib: invalid checksum)', 1701]);
  });
});

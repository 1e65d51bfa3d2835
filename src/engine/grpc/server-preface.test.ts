import { describe, expect, it } from 'vitest';
import { prefaceFailure } from './server-preface.ts';

const header = (length: number, type: number): Buffer => Buffer.from([length >> 16, (length >> 8) & 0xff, length & 0xff, type, 0, 0, 0, 0, 0]);

describe('the server preface, as grpc-go judges it', () => {
  it('SETTINGS first is a gRPC-capable server; anything else is named as grpc-go names it', () => {
    expect(prefaceFailure(header(6, 4), false)).toBeUndefined();
    expect(prefaceFailure(Buffer.from('HTTP/1.1 400 Bad Request\r\n').subarray(0, 9), false)).toBe(
      'error reading server preface: http2: failed reading the frame payload: http2: frame too large, note that the frame header looked like an HTTP/1.1 header',
    );
    expect(prefaceFailure(Buffer.from('SSH-2.0-O'), false)).toBe('error reading server preface: http2: frame too large');
    expect(prefaceFailure(header(8, 7), false)).toBe('initial http2 frame from server is not a settings frame: *http2.GoAwayFrame');
    expect(prefaceFailure(header(0, 0x42), false)).toBe('initial http2 frame from server is not a settings frame: *http2.UnknownFrame');
  });

  it('a server that closes says EOF (nothing read) or unexpected EOF (part of a header); one still silent says nothing', () => {
    expect(prefaceFailure(Buffer.alloc(0), true)).toBe('error reading server preface: EOF');
    expect(prefaceFailure(Buffer.from([0, 0]), true)).toBe('error reading server preface: unexpected EOF');
    expect(prefaceFailure(Buffer.alloc(0), false)).toBeUndefined();
  });
});

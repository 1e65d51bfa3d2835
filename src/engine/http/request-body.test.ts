import { describe, expect, it } from 'vitest';
import { encodeBody, FileData } from './request-body.ts';

describe('encodeBody', () => {
  it('sends strings and binary data as they are', () => {
    expect(encodeBody('raw')).toEqual({ body: 'raw', contentType: undefined });
    const bytes = encodeBody(new Uint16Array([0x4142]).buffer);
    expect(Buffer.from(bytes.body as Uint8Array)).toEqual(Buffer.from([0x42, 0x41]));
    expect(encodeBody(null).body).toBeNull();
  });

  it('form-encodes objects with sorted keys and Go query escaping', () => {
    expect(encodeBody({ z: "it's (1)*", a: ['x', 'y'], m: 5 })).toEqual({
      body: 'a=x&a=y&m=5&z=it%27s+%281%29%2A',
      contentType: 'application/x-www-form-urlencoded',
    });
  });

  it('uses multipart as soon as a value is an http.file, with k6 defaults for name and type', () => {
    const f = new FileData(new Uint8Array([1, 2]));
    expect(f.content_type).toBe('application/octet-stream');
    expect(f.filename).toMatch(/^\d+$/);
    const enc = encodeBody({ f });
    expect(enc.contentType).toMatch(/^multipart\/form-data; boundary=[0-9a-f]+$/);
    const boundary = (enc.contentType as string).split('boundary=')[1] as string;
    const text = Buffer.from(enc.body as Uint8Array).toString('latin1');
    expect(text.startsWith(`--${boundary}\r\n`)).toBe(true);
    expect(text.endsWith(`--${boundary}--\r\n`)).toBe(true);
    expect(text).toContain('\r\n\r\n\u0001\u0002\r\n');
  });
});

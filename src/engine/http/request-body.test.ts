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

  it('encodes null and undefined as empty values, nested objects and arrays as empty values with a warning (k6 TestRequestFormBodyEncoding)', () => {
    const warnings: string[] = [];
    const warn = (m: string): void => {
      warnings.push(m);
    };
    expect(encodeBody({ data: 'something', another: null, missing: undefined }, warn).body).toBe('another=&data=something&missing=');
    expect(encodeBody({ c: ['one', null] }, warn).body).toBe('c=one&c=');
    expect(warnings).toEqual([]);
    expect(encodeBody({ a: 'x', nested: { inner: 1 } }, warn).body).toBe('a=x&nested=');
    expect(encodeBody({ items: [{ x: 1 }, { y: 2 }] }, warn).body).toBe('items=&items=');
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toBe(
      'cannot urlencode a nested map[string]interface {} value in a request form body; encoding it as an empty value, use JSON.stringify() to send structured data',
    );
    const multi = encodeBody({ f: new FileData('x', 'f.txt'), list: ['a', 'b'] }, warn);
    expect(Buffer.from(multi.body as Uint8Array).toString('latin1')).toContain('name="list"\r\n\r\n\r\n');
    expect(warnings[3]).toContain('nested []interface {} value');
  });

  it('http.file() refuses other data as k6 does', () => {
    expect(() => new FileData({})).toThrow('invalid type map[string]interface {}, expected string or ArrayBuffer');
    expect(() => new FileData(5)).toThrow('invalid type int64, expected string or ArrayBuffer');
  });

  it('http.file() keeps a filename or content type that is given, even "", null or undefined (k6 file(data, ...string): sobek hands "")', () => {
    expect(new FileData('x', '').filename).toBe('');
    const f = new FileData('x', null, 'text/plain');
    expect([f.filename, f.content_type]).toEqual(['', 'text/plain']);
    expect(new FileData('x', 'f.txt', undefined).content_type).toBe('');
    expect(new FileData('x', 'f.txt').content_type).toBe('application/octet-stream');
    expect(new FileData('x').filename).toMatch(/^\d+$/);
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

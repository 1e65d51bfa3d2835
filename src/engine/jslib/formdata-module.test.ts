import { describe, expect, it } from 'vitest';
import vm from 'node:vm';
import { ScriptRealm } from '../vu/script-realm.ts';
import { FileData } from '../http/request-body.ts';
import { createFormdataModule } from './formdata-module.ts';

interface Fd {
  boundary: string;
  append(name: string, value?: unknown): void;
  set(name: string, value?: unknown): void;
  body(): ArrayBuffer;
}

function setup(): { realm: ScriptRealm; FormData: new () => Fd; run: (src: string) => unknown } {
  const realm = new ScriptRealm();
  const mod = createFormdataModule(realm.context);
  const run = (src: string): unknown => (vm.runInContext(`(mod) => { ${src} }`, realm.context) as (m: unknown) => unknown)(mod);
  return { realm, FormData: mod.FormData as new () => Fd, run };
}

describe('formdata', () => {
  it('body() is the multipart body: text parts as text/plain, file objects with filename and type, then the closing delimiter', () => {
    const { FormData } = setup();
    const fd = new FormData();
    fd.boundary = 'B';
    fd.append('field', 'välue');
    fd.append('file', { data: new Uint8Array([0, 13, 10, 255]).buffer, filename: 'a"b.bin', content_type: 'image/png' });
    fd.append('raw', { data: [65, 66, 0x143] });
    expect(Buffer.from(fd.body()).toString('latin1')).toBe([
      '--B', 'Content-Disposition: form-data; name="field"', 'Content-Type: text/plain', '', Buffer.from('välue').toString('latin1'),
      '--B', 'Content-Disposition: form-data; name="file"; filename="a%22b.bin"', 'Content-Type: image/png', '', '\x00\r\n\xff',
      '--B', 'Content-Disposition: form-data; name="raw"', 'Content-Type: application/octet-stream', '', 'ABC',
      '--B--', '',
    ].join('\r\n'));
  });

  it("set() replaces the first part of that name in place, or appends one (the jslib's set)", () => {
    const { FormData } = setup();
    const fd = new FormData();
    fd.boundary = 'B';
    fd.append('a', '1');
    fd.append('b', '2');
    fd.append('a', '3');
    fd.set('a', 'x');
    fd.set('c', { data: 'f', filename: 'c.txt' });
    expect(Buffer.from(fd.body()).toString('latin1')).toBe([
      '--B', 'Content-Disposition: form-data; name="a"', 'Content-Type: text/plain', '', 'x',
      '--B', 'Content-Disposition: form-data; name="b"', 'Content-Type: text/plain', '', '2',
      '--B', 'Content-Disposition: form-data; name="a"', 'Content-Type: text/plain', '', '3',
      '--B', 'Content-Disposition: form-data; name="c"; filename="c.txt"', 'Content-Type: application/octet-stream', '', 'f',
      '--B--', '',
    ].join('\r\n'));
    expect(() => (fd.set as (n: string) => void)('a')).toThrow('Not enough arguments');
  });

  it('a real multipart parser reads the parts back, http.file() ones included', async () => {
    const { FormData } = setup();
    const fd = new FormData();
    fd.append('note', 'hi');
    fd.append('upload', new FileData(new Uint8Array([1, 2, 3]), 'data.bin', 'application/x-test'));
    fd.append('text', new FileData('{"a":1}', 'a.json', 'application/json'));
    const form = await new Request('http://x', {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${fd.boundary}` },
      body: new Uint8Array(fd.body()),
    }).formData();
    expect(form.get('note')).toBe('hi');
    const upload = form.get('upload') as File;
    expect([upload.name, upload.type, [...new Uint8Array(await upload.arrayBuffer())]]).toEqual(['data.bin', 'application/x-test', [1, 2, 3]]);
    const text = form.get('text') as File;
    expect([text.name, await text.text()]).toEqual(['a.json', '{"a":1}']);
  });

  it('works as the polyfill does in scripts: callable without new, a fresh boundary each, script ArrayBuffers, SyntaxError without a value', () => {
    const { run } = setup();
    expect(run(`
      const a = mod.FormData();
      const b = new mod.FormData();
      let caught;
      try { a.append('only-name'); } catch (e) { caught = [e instanceof SyntaxError, e.message]; }
      return [a instanceof mod.FormData, a.boundary !== b.boundary, /^------RWWorkerFormDataBoundary0\\.[0-9a-z]+$/.test(a.boundary),
        a.body() instanceof ArrayBuffer, caught, mod.default.FormData === mod.FormData];
    `)).toEqual([true, true, true, true, [true, 'Not enough arguments'], true]);
  });
});

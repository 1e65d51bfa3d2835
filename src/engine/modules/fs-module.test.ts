import { describe, expect, it } from 'vitest';
import { createFsModule, type FsFile } from './fs-module.ts';
import { createCsvModule } from './csv-module.ts';
import { SharedArrayStore } from './data-module.ts';
import { recordingHost } from './test-host.ts';
import { openReadError } from '../vu/open-errors.ts';

const FILES = new Map<string, Uint8Array>([['/s/data.csv', new TextEncoder().encode('a,b\n1,2\n3,4\n5,6\n')]]);
const files = {
  read(p: string): Uint8Array {
    const b = FILES.get(p);
    if (b === undefined) throw openReadError(p, Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' }));
    return b;
  },
};
type Open = (p: unknown) => Promise<FsFile>;

describe('k6/experimental/fs', () => {
  it('opens in init only, relative to the script, and rejects with k6\'s fs errors', async () => {
    const host = recordingHost();
    const open = createFsModule(host, { files, scriptDir: '/s' }).open as Open;
    expect((await open('./data.csv')).path).toBe('/s/data.csv');
    await expect(open('missing.csv')).rejects.toEqual({ name: 'NotFoundError', message: 'no such file or directory "/s/missing.csv"' });
    await expect(open('')).rejects.toEqual({ name: 'TypeError', message: 'open() failed; reason: path cannot be empty' });
    host.setPhase('vu');
    await expect(open('data.csv')).rejects.toMatchObject({ name: 'ForbiddenError' });
  });

  it('an fs error reads as its Go Error() text as a string (sobek\'s toString of a Go error), and keeps only name and message as fields', async () => {
    const open = createFsModule(recordingHost(), { files, scriptDir: '/s' }).open as Open;
    const e = await open('missing.csv').catch((x: unknown) => x);
    expect(String(e)).toBe('NotFoundError: no such file or directory "/s/missing.csv"');
    expect(JSON.stringify(e)).toBe('{"name":"NotFoundError","message":"no such file or directory \\"/s/missing.csv\\""}');
    expect(Object.keys(e as object)).toEqual(['name', 'message']);
  });

  it('reads into a Uint8Array (null at the end), seeks as k6 (End counts from the last byte), stats', async () => {
    const f = await (createFsModule(recordingHost(), { files, scriptDir: '/s' }).open as Open)('data.csv');
    const buf = new Uint8Array(10);
    expect(await f.read(buf)).toBe(10);
    expect(await f.read(buf)).toBe(6);
    expect(await f.read(buf)).toBeNull();
    expect(await f.seek(0, 2)).toBe(15);
    expect(await f.seek(-5, 1)).toBe(10);
    await expect(f.seek(-1, 0)).rejects.toMatchObject({ message: 'offset cannot be negative when using SeekModeStart' });
    await expect(f.read([1, 2])).rejects.toMatchObject({ name: 'TypeError', message: 'read() failed; reason: into argument must be a Uint8Array' });
    expect(await f.stat()).toEqual({ name: 'data.csv', size: 16 });
    expect(Object.keys(f)).toEqual(['path']); // as k6's File: the path, the rest are methods
  });

  it('copies the bytes into the buffer when the read resolves, over what the script wrote before', async () => {
    const f = await (createFsModule(recordingHost(), { files, scriptDir: '/s' }).open as Open)('data.csv');
    const buf = new Uint8Array(3);
    const p = f.read(buf);
    buf[0] = 0x7a;
    expect(buf[0]).toBe(0x7a); // not yet read into
    expect(await p).toBe(3);
    expect(new TextDecoder().decode(buf)).toBe('a,b');
    // An empty buffer reads 0 bytes before the end, null at the end (k6 file_test's zero sized buffer).
    expect(await f.read(new Uint8Array(0))).toBe(0);
    await f.seek(0, 2);
    expect(await f.read(new Uint8Array(4))).toBe(1);
    expect(await f.read(new Uint8Array(0))).toBeNull();
  });
});

describe('k6/experimental/csv', () => {
  it('parse() honours skipFirstLine, fromLine/toLine and asObjects; Parser reads record by record', async () => {
    const host = recordingHost();
    const open = createFsModule(host, { files, scriptDir: '/s' }).open as Open;
    const csv = createCsvModule(host, new SharedArrayStore()) as {
      parse(f: unknown, o?: unknown): Promise<unknown[]>;
      Parser: new (f: unknown, o?: unknown) => { next(): Promise<{ done: boolean; value: unknown }> };
    };
    const f = await open('data.csv');
    // k6 exports the argument into an fs.File: a plain object exports into one with no reader.
    expect(() => csv.parse({})).toThrow(expect.objectContaining({ name: 'GoError', message: 'failed to create a new parser; reason: the reader cannot be nil' }) as Error);
    expect(() => csv.parse(5)).toThrow(expect.objectContaining({ name: 'GoError', message: 'first argument expected to be a fs.File instance, got sobek.valueInt instead' }) as Error);
    expect(() => new csv.Parser(null)).toThrow(expect.objectContaining({ name: 'GoError', message: 'csv Parser constructor takes at least one non-nil source argument' }) as Error);
    expect([...await csv.parse(f, { skipFirstLine: true })]).toEqual([['1', '2'], ['3', '4'], ['5', '6']]);
    expect([...await csv.parse(f, { fromLine: 1, toLine: 2 })]).toEqual([['1', '2'], ['3', '4']]);
    expect([...await csv.parse(f, { asObjects: true })]).toEqual([{ a: '1', b: '2' }, { a: '3', b: '4' }, { a: '5', b: '6' }]);
    expect(() => csv.parse(f, { asObjects: true, skipFirstLine: true })).toThrow("the 'header' option cannot be enabled when 'skipFirstLine' is true");
    const p = new csv.Parser(f, { toLine: 1 });
    expect(await p.next()).toEqual({ done: false, value: ['a', 'b'] });
    expect(await p.next()).toEqual({ done: false, value: ['1', '2'] });
    expect(await p.next()).toEqual({ done: true, value: [] });
  });

  it('a record the CSV reader refuses rejects parse() with k6\'s GoError, and next() with the reader\'s', async () => {
    FILES.set('/s/ragged.csv', new TextEncoder().encode('a,b,c\n1,2\n'));
    const host = recordingHost();
    const open = createFsModule(host, { files, scriptDir: '/s' }).open as Open;
    const csv = createCsvModule(host, new SharedArrayStore()) as {
      parse(f: unknown, o?: unknown): Promise<unknown[]>;
      Parser: new (f: unknown, o?: unknown) => { next(): Promise<unknown> };
    };
    await expect(csv.parse(await open('ragged.csv'))).rejects.toMatchObject({ name: 'GoError', message: 'failed to read record; reason: record on line 2: wrong number of fields' });
    const p = new csv.Parser(await open('ragged.csv'));
    await p.next();
    await expect(p.next()).rejects.toMatchObject({ name: 'GoError', message: 'record on line 2: wrong number of fields' });
    host.setPhase('vu');
    expect(() => new csv.Parser({})).toThrow(expect.objectContaining({ name: 'GoError', message: 'csv Parser constructor must be called in the init context' }) as Error);
  });
});

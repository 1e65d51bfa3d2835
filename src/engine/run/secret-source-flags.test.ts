import { describe, expect, it } from 'vitest';
import { loadSecretSources } from './secret-source-flags.ts';
import { EngineError } from './exit-codes.ts';

const files: Record<string, string> = {
  '/work/file.secret': 'cool=some\nelse=source=with=equals\n',
  '/work/crlf.secret': 'a=1\r\nb=2',
  '/work/bad.secret': 'cool=some\n\nelse=x\n',
};
const readFile = (p: string): Promise<Uint8Array> => {
  const text = files[p];
  return text === undefined ? Promise.reject(new Error('ENOENT')) : Promise.resolve(new TextEncoder().encode(text));
};
const load = (...specs: string[]) => loadSecretSources(specs, '/work', readFile);
const asObject = (t: Awaited<ReturnType<typeof load>>) => Object.fromEntries([...t].map(([k, v]) => [k, Object.fromEntries(v)]));

async function failure(...specs: string[]): Promise<{ code: number; message: string }> {
  const e = await load(...specs).then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(EngineError);
  return { code: (e as EngineError).exitCode, message: (e as EngineError).message };
}

describe('--secret-source', () => {
  it('file=PATH reads key=value lines relative to the working directory; a lone source is the default', async () => {
    expect(asObject(await load('file=file.secret'))).toEqual({
      file: { cool: 'some', else: 'source=with=equals' },
      default: { cool: 'some', else: 'source=with=equals' },
    });
    expect(asObject(await load('file=filename=crlf.secret,name=ci'))).toEqual({ ci: { a: '1', b: '2' }, default: { a: '1', b: '2' } });
  });

  it('several sources: named by type or name=, the one marked default is the default; none marked, none is', async () => {
    const t = asObject(await load('mock=default,cool=cool secret', 'mock=name=another,cool=not cool secret'));
    expect(t).toEqual({ mock: { cool: 'cool secret' }, default: { cool: 'cool secret' }, another: { cool: 'not cool secret' } });
    expect(Object.keys(asObject(await load('mock=a=1', 'file=name=f,file.secret')))).toEqual(['mock', 'f']);
    expect((await load()).size).toBe(0);
  });

  it('k6\'s errors: 104 for cloud, 255 for the rest', async () => {
    expect(await failure('cloud')).toEqual({ code: 104, message: "'cloud' is not a valid value for --secret-source; cloud secrets are automatically available for 'k6 cloud run --local-execution'" });
    expect(await failure('vault=x')).toEqual({ code: 255, message: 'no secret source for type "vault" for configuration "vault=x"' });
    expect(await failure(' ')).toEqual({ code: 255, message: 'couldn\'t parse secret source configuration " "' });
    expect((await failure('mock=novalue')).message).toBe('parsing "novalue", needs =');
    expect((await failure('file=bad.secret')).message).toBe('parsing "", needs =');
    expect((await failure('file=missing.secret')).message).toBe('open missing.secret: no such file or directory');
    expect((await failure('file=path=x')).message).toBe('unknown configuration key for file secret source "path"');
    expect((await failure('mock=a=1', 'mock=b=2')).message).toBe('secret source for name "mock" already registered before configuration "mock=b=2"');
    expect((await failure('mock=default,a=1', 'mock=name=m2,default,b=2')).message).toBe('can\'t have two secret sources that are default ones, second one was "b=2"');
    expect((await failure('url')).message).toMatch(/"url" secret source of k6 is not supported by Stampede/);
  });
});

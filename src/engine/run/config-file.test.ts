import { describe, expect, it } from 'vitest';
import type { EngineIo } from './engine-io.ts';
import { readConfigFile } from './config-file.ts';

function io(files: Record<string, string>): EngineIo {
  const sink = { write: () => undefined, isTTY: false };
  return {
    cwd: '/work',
    env: {},
    readFile: (p) => {
      const text = files[p];
      if (text === undefined) return Promise.reject(Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' }));
      return Promise.resolve(new TextEncoder().encode(text));
    },
    writeFile: () => Promise.resolve(),
    stdout: sink,
    stderr: sink,
  };
}

describe('reading the config file (k6 readDiskConfig)', () => {
  it('parses the file (relative to the working directory) and keeps its out list', async () => {
    const r = await readConfigFile({ path: 'k6.json' }, io({ '/work/k6.json': '{"vus": 3, "out": ["json=a.json", 5]}' }));
    expect(r.error).toBeUndefined();
    expect(r.source).toEqual({ path: 'k6.json', content: { vus: 3, out: ['json=a.json', 5] } });
    expect(r.out).toEqual(['json=a.json']);
  });

  it('a missing default file is skipped; a missing explicit one or bad JSON is a 104 error naming the path', async () => {
    expect(await readConfigFile({ path: '/home/u/.config/k6/config.json', optional: true }, io({}))).toEqual({});
    const missing = await readConfigFile({ path: 'nope.json' }, io({}));
    expect(missing.error?.exitCode).toBe(104);
    expect(missing.error?.message).toBe('failed to load the configuration file from the local file system: stat nope.json: no such file or directory');
    const bad = await readConfigFile({ path: 'bad.json' }, io({ '/work/bad.json': '{vus: 1}' }));
    expect(bad.error?.exitCode).toBe(104);
    expect(bad.error?.message).toMatch(/^failed to load the configuration file from the local file system: couldn't parse the configuration from "bad\.json": /);
  });
});

import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { EngineIo, OutputFile } from './engine-io.ts';
import { PointOutputs } from './point-outputs.ts';

const metric = '{"type":"Metric","data":{"name":"iterations","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"iterations"}';
const point = (v: number): string => `{"metric":"iterations","type":"Point","data":{"time":"2026-11-26T10:00:00Z","value":${v},"tags":{"scenario":"default"}}}`;

function fakeIo(streamed: boolean): { io: EngineIo; files: Map<string, Uint8Array | string>; log: string[]; stdout: string[] } {
  const files = new Map<string, Uint8Array | string>();
  const stdout: string[] = [];
  const io: EngineIo = {
    cwd: '/w',
    env: {},
    readFile: () => Promise.reject(new Error('no')),
    writeFile: async (p, data) => void files.set(p, data),
    stdout: { write: (s) => void stdout.push(s), isTTY: false },
    stderr: { write: () => undefined, isTTY: false },
    ...(streamed
      ? {
        openOutput: async (p: string): Promise<OutputFile> => {
          if (p.includes('missing')) throw Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
          const parts: Uint8Array[] = [];
          return {
            write: (d) => void parts.push(typeof d === 'string' ? new TextEncoder().encode(d) : d.slice()),
            close: async () => void files.set(p, Buffer.concat(parts)),
          };
        },
      }
      : {}),
  };
  return { io, files, log: [], stdout };
}

const text = (v: Uint8Array | string | undefined, gz = false): string =>
  v === undefined ? '' : typeof v === 'string' ? v : (gz ? gunzipSync(v) : Buffer.from(v)).toString();

describe('PointOutputs', () => {
  for (const streamed of [true, false]) {
    it(`${streamed ? 'streams' : 'keeps and writes at the end'}: JSON once per Metric line, CSV rows, .gz gzipped, lines pushed before open first`, async () => {
      const { io, files } = fakeIo(streamed);
      const log: string[] = [];
      const out = new PointOutputs(io, { write: (_l, m) => void log.push(m) });
      out.push(`${metric}\n${point(1)}\n`);
      await out.open({ jsonOut: 'p.json.gz', csv: { file: 'p.csv', timeFormat: 'unix' }, systemTags: ['scenario'] });
      out.push(`${metric}\n${point(2)}\n`);
      await out.close();
      expect(text(files.get('/w/p.json.gz'), true)).toBe(`${metric}\n${point(1)}\n${point(2)}\n`);
      expect(text(files.get('/w/p.csv'))).toBe('metric_name,timestamp,metric_value,scenario,extra_tags,metadata\n'
        + 'iterations,1795687200,1.000000,default,,\niterations,1795687200,2.000000,default,,\n');
      expect(log).toEqual([]);
    });
  }

  it('"-" writes to stdout as lines arrive', async () => {
    const { io, stdout } = fakeIo(true);
    const out = new PointOutputs(io, { write: () => undefined });
    expect(await out.open({ jsonOut: '-', csv: undefined, systemTags: [] })).toBeUndefined();
    out.push(`${point(3)}\n`);
    expect(stdout.join('')).toBe(`${point(3)}\n`);
    await out.close();
  });

  it('a file that cannot be created gives k6\'s error for the run to fail with (TestJsonOutputFileError), the CSV output\'s first', async () => {
    const { io, files } = fakeIo(true);
    const json = new PointOutputs(io, { write: () => undefined });
    expect(await json.open({ jsonOut: 'missing/p.json', csv: undefined, systemTags: [] })).toBe('open missing/p.json: no such file or directory');
    const both = new PointOutputs(io, { write: () => undefined });
    expect(await both.open({ jsonOut: 'missing/p.json', csv: { file: 'missing/p.csv', timeFormat: 'unix' }, systemTags: [] }))
      .toBe("could not create the 'csv' output: open missing/p.csv: no such file or directory");
    await both.close();
    expect(files.size).toBe(0);
  });
});

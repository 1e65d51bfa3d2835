// The list serialiser writes run JSON from stored text; it must give the bytes JSON.stringify of the
// view gives, for every kind of run.
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { parseRunText, type TestRunText } from '../store/index.ts';
import { listBody, listBodyBytes } from './paging.ts';
import { isoTime, lastArrayElement, testRunJson, testRunJsonBytes, testRunView } from './api-views.ts';

const tricky = ['', 'plain', 'he said "hi"', 'back\\slash', 'ends with \\', '\\"', '}]{[', '",{"type":"x"}]', 'ünï\u2028code\n\t', '\u0000'];

function history(entries: number, extraMessage: string | null): string {
  const list = [];
  for (let i = 0; i < entries; i++) {
    list.push({ type: i === entries - 1 ? 'aborted' : 'queued', entered: new Date(1_780_000_000_000 + i).toISOString(), extra: extraMessage === null ? null : { by_user: null, message: `${extraMessage}${i}`, code: 5 } });
  }
  return JSON.stringify(list);
}

function run(overrides: Partial<TestRunText> = {}, json: Partial<TestRunText['json']> = {}): TestRunText {
  return {
    id: 7,
    loadTestId: 3,
    projectId: 2,
    stackId: 1,
    status: 'completed',
    result: 'passed',
    maxVus: 10,
    maxBrowserVus: 0,
    estimatedDuration: 90,
    executionDuration: 61,
    startedBy: 'dev@example.com',
    note: '',
    isStarred: false,
    retentionExpiry: 1_782_000_000_123,
    created: 1_780_000_000_000,
    ended: 1_780_000_067_005,
    ...overrides,
    json: {
      statusHistory: history(6, null),
      resultDetails: JSON.stringify({ type: 'passed', message: null, code: null }),
      options: JSON.stringify({ vus: 10, duration: '1m' }),
      distribution: JSON.stringify([{ load_zone: 'amazon:us:ashburn', percent: 100 }]),
      cost: JSON.stringify({ total_vuh: 0.1667, breakdown: { protocol_vuh: 0.1667, browser_vuh: 0 } }),
      k6Dependencies: '{}',
      k6Versions: JSON.stringify({ k6: 'stampede' }),
      ...json,
    },
  };
}

describe('list serialisation of runs', () => {
  const now = new Date(1_780_000_100_000);
  const viaView = (t: TestRunText) => JSON.stringify(testRunView(parseRunText(t, now), now));

  it('writes the same bytes as JSON.stringify of the view, whatever the run holds', () => {
    const cases: TestRunText[] = [
      run(),
      run({ startedBy: null, isStarred: true, note: 'a "note" \\ ü', result: null, maxVus: null, maxBrowserVus: null, estimatedDuration: null, retentionExpiry: null }),
      run({}, { resultDetails: null, options: null, distribution: null, k6Dependencies: JSON.stringify({ k6: '>=0.50' }) }),
      run({ status: 'aborted', result: 'error' }, { statusHistory: history(3, 'stop "now" ]}\\') }),
      run({ status: 'aborted', ended: null }),
      run({ created: -62_200_000_000_000, ended: 253_402_300_800_000 }),
      // These take the parsing path: not final (execution time and cost derive from now), no stored cost, no history.
      run({ status: 'running', ended: null }, { statusHistory: history(2, null) }),
      run({}, { cost: null }),
      run({ status: 'aborted' }, { statusHistory: '[]' }),
      ...tricky.map((s) => run({ note: s, startedBy: s }, { statusHistory: history(4, s), options: JSON.stringify({ tags: { [s]: s } }) })),
    ];
    for (const t of cases) {
      expect(testRunJson(t, now)).toBe(viaView(t));
      expect(testRunJsonBytes(t, now).toString('utf8')).toBe(viaView(t));
    }
  });

  it('encodes a final run once, and a run in progress every time (its view moves with the clock)', () => {
    const final = run();
    expect(testRunJsonBytes(final, now)).toBe(testRunJsonBytes(final, now));
    const running = run({ status: 'running', ended: null }, { statusHistory: history(2, null) });
    const later = new Date(now.getTime() + 5_000);
    expect(testRunJsonBytes(running, later).toString()).toBe(JSON.stringify(testRunView(parseRunText(running, later), later)));
    expect(testRunJsonBytes(running, now)).not.toBe(testRunJsonBytes(running, now));
  });

  it('finds the last element of a history array, and gives up on anything else', () => {
    for (const s of tricky) {
      for (const n of [1, 2, 5]) {
        const text = history(n, s);
        expect(lastArrayElement(text)).toBe(JSON.stringify((JSON.parse(text) as unknown[]).at(-1)));
      }
    }
    for (const bad of ['[]', '{}', '', '[1]', '[{"a":1}, {"b":2}]x', 'null', '[ {"a":1}]', '{"a":1}]', '[[{}]]']) {
      const found = lastArrayElement(bad);
      if (found !== null) expect(JSON.stringify((JSON.parse(bad) as unknown[]).at(-1))).toBe(found);
    }
  });

  it('formats times exactly as toISOString', () => {
    const samples = [0, 1, 999, 1000, 59_999, 3_599_999, 3_600_000, 951_782_400_000, 1_780_000_067_005, 253_402_300_799_999, 253_402_300_800_000, -1, 8.64e15];
    let x = 123_456_789;
    for (let i = 0; i < 5000; i++) {
      x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
      samples.push(Math.floor((x / 2_147_483_648) * 4_102_444_800_000), 1_780_000_000_000 + x);
    }
    for (const ms of samples) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });

  it('assembles list bodies as bytes exactly as JSON.stringify of the object body', () => {
    const req = { url: '/cloud/v6/test_runs?$top=2&created_after=2026-01-01T00:00:00Z', protocol: 'http', host: '127.0.0.1:8060' } as FastifyRequest;
    const items = [run({ id: 1 }), run({ id: 2, note: 'ü "x"' }), run({ id: 3 })];
    for (const [query, page] of [
      [{ top: 2, skip: 0, count: true }, { items, count: 9 }],
      [{ top: 2, skip: 4, count: false }, { items: items.slice(0, 2), count: null }],
      [{ top: 5, skip: 0, count: true }, { items: [], count: null }],
    ] as const) {
      const paged = { items: [...page.items], count: page.count };
      const expected = JSON.stringify(listBody(req, 'https://stampede.example', query, paged, (t) => testRunView(parseRunText(t, now), now)));
      expect(listBodyBytes(req, 'https://stampede.example', query, paged, (t) => testRunJsonBytes(t, now)).toString('utf8')).toBe(expected);
    }
  });
});

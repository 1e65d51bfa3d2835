// The script transform's differential test: every snippet of test/scripts/transform-snippets.ts runs
// natively (a strict-mode function whose `block(x)` just returns x) and through the engine, where
// `block(x)` first sleeps, so each call of it is a blocking call the transform must wait for. The
// results (JSON, or the error thrown) must be the same: closures, loops, labels, try/finally,
// destructuring, spread, `arguments`, `this`, callbacks of builtins, classes and constructors,
// optional chains, async functions and generators behave as if nothing had blocked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInput, startTarget, type Target } from './scripts/engine-harness.ts';
import { SNIPPETS } from './scripts/transform-snippets.ts';

const names = Object.keys(SNIPPETS);

async function outcome(f: () => unknown): Promise<string> {
  try {
    return JSON.stringify(await f()) ?? 'undefined';
  } catch (e) {
    return `THROW ${String(e)}`;
  }
}

async function native(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const fn = new Function('block', `"use strict";\n${SNIPPETS[name] ?? ''}`) as (block: (x: unknown) => unknown) => unknown;
    out[name] = await outcome(() => fn((x) => x));
  }
  return out;
}

function engineScript(): string {
  const fns = names.map((n) => `function s_${n}() { ${SNIPPETS[n] ?? ''} }`).join('\n');
  return `import { sleep } from 'k6';
function block(x) { sleep(0.001); return x; }
${fns}
async function outcome(f) { try { const v = JSON.stringify(await f()); return v === undefined ? 'undefined' : v; } catch (e) { return 'THROW ' + String(e); } }
export const options = { iterations: 1 };
export default async function () {
  const out = {};
  for (const [name, f] of Object.entries({ ${names.map((n) => `${n}: s_${n}`).join(', ')} })) out[name] = await outcome(f);
  console.log('RESULT ' + JSON.stringify(out));
}
`;
}

/** The object the script logged (logfmt: msg is Go-quoted, which JSON reads). */
function loggedResult(stderr: string): Record<string, string> {
  const m = / msg=("(?:[^"\\]|\\.)*")/.exec(stderr.split('\n').find((l) => l.includes('RESULT ')) ?? '');
  if (m === null) throw new Error(`no RESULT line in: ${stderr.slice(0, 2000)}`);
  const msg = JSON.parse(m[1] ?? '""') as string;
  return JSON.parse(msg.slice('RESULT '.length)) as Record<string, string>;
}

describe('the script transform against native execution', () => {
  it(`gives every snippet's native result when each block() call blocks (${names.length} snippets)`, async () => {
    const expected = await native();
    const run = await runInput({ name: 'transform-differential.js', data: new TextEncoder().encode(engineScript()) });
    expect(run.exitCode).toBe(0);
    const got = loggedResult(run.stderr);
    const differing = names.filter((n) => got[n] !== expected[n]).map((n) => ({ snippet: n, native: expected[n], engine: got[n] }));
    expect(differing).toEqual([]);
  });
});

describe('blocking k6 calls where the transform moves code', () => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(async () => {
    await target.close();
  });

  it('gives class fields (instance and static) and parameter defaults the responses of http.get', async () => {
    const script = `import http from 'k6/http';
class Client {
  login = http.get(__ENV.BASE + '/json');
  n = this.login.json('n');
  #status = http.get(__ENV.BASE + '/status/201').status;
  get status() { return this.#status; }
}
class Tagged extends Client { tag = 'n=' + this.n; }
function fetchText(res = http.get(__ENV.BASE + '/plain')) { return res.body; }
const arrow = (a, res = http.get(__ENV.BASE + '/json'), n = res.json('n') + a) => n;
export const options = { iterations: 1 };
export default function () {
  const c = new Client();
  const t = new Tagged();
  class Config { static res = http.get(__ENV.BASE + '/json'); static n = Config.res.json('n'); }
  console.log('RESULT ' + JSON.stringify([t.tag, t.status, c.n, c.status, fetchText(), fetchText.length, arrow(1), arrow.length, Config.n]));
}
`;
    const run = await runInput({ name: 'moved-code.js', data: new TextEncoder().encode(script) }, { env: { BASE: target.url } });
    expect(run.exitCode).toBe(0);
    const line = run.stderr.split('\n').find((l) => l.includes('RESULT ')) ?? '';
    const msg = JSON.parse(/ msg=("(?:[^"\\]|\\.)*")/.exec(line)?.[1] ?? '""') as string;
    expect(JSON.parse(msg.slice('RESULT '.length))).toEqual(['n=42', 201, 42, 201, 'hello', 0, 43, 1, 42]);
  });

  it('warns once when a getter makes a blocking call it cannot wait for', async () => {
    const script = `import http from 'k6/http';
class Api { get health() { return http.get(__ENV.BASE + '/plain'); } }
export const options = { iterations: 3 };
export default function () { const h = new Api().health; console.log('IS PROMISE ' + (typeof h.then === 'function')); }
`;
    const run = await runInput({ name: 'getter.js', data: new TextEncoder().encode(script) }, { env: { BASE: target.url } });
    expect(run.exitCode).toBe(0);
    expect(run.stderr.split('IS PROMISE true').length - 1).toBe(3);
    const warnings = run.stderr.split('\n').filter((l) => l.includes('level=warn') && l.includes('getter \\"health\\" was not waited for'));
    expect(warnings).toHaveLength(1);
  });
});

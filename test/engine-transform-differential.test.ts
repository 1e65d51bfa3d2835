// The script transform's differential test: every snippet of test/scripts/transform-snippets.ts runs
// natively (a strict-mode function whose `block(x)` just returns x) and through the engine, where
// `block(x)` first sleeps, so each call of it is a blocking call the transform must wait for. The
// results (JSON, or the error thrown) must be the same: closures, loops, labels, try/finally,
// destructuring, spread, `arguments`, `this`, callbacks of builtins, classes and constructors,
// optional chains, async functions and generators behave as if nothing had blocked.
import { describe, expect, it } from 'vitest';
import { runInput } from './scripts/engine-harness.ts';
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

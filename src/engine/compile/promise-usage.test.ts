import { describe, expect, it } from 'vitest';
import { usesPromises } from './promise-usage.ts';

describe('usesPromises', () => {
  it('is false for a synchronous script, so its VUs pay nothing for rejection tracking', () => {
    expect(usesPromises("import http from 'k6/http';\nexport default function () { http.get('http://x/'); }")).toBe(false);
  });

  it('is true for async functions, Promise, then, asyncRequest and dynamic import', () => {
    for (const code of ['async function f() {}', 'Promise.reject(1)', 'p.then(f)', "http.asyncRequest('GET', u)", "import('k6/http')", 'await x']) {
      expect(usesPromises(code), code).toBe(true);
    }
  });
});

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

  it('is true for a script importing a module whose calls return promises, though it names no promise itself', () => {
    for (const mod of ['k6/experimental/fs', 'k6/experimental/csv', 'k6/experimental/streams', 'k6/secrets', 'k6/websockets', 'k6/x/redis']) {
      const code = `import m from "${mod}";\nconst f = m.open('a.txt');\nexport default function () {}`;
      expect(usesPromises(code), mod).toBe(true);
    }
    expect(usesPromises('const d = crypto.subtle.digest("SHA-256", b);')).toBe(true);
    expect(usesPromises("client.asyncInvoke('a/b', {})")).toBe(true);
    expect(usesPromises("import http from 'k6/http';\nimport { check } from 'k6';")).toBe(false);
  });
});

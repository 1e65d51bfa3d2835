import { describe, expect, it } from 'vitest';
import { gotoErrorText } from './goto-error.ts';

describe('gotoErrorText', () => {
  const url = 'https://test.k6.io/my_messages.php';

  it('wraps an aborted navigation as k6’s Page.Goto and Frame.Goto do', () => {
    const e = new Error(`page.goto: net::ERR_CERT_AUTHORITY_INVALID at ${url}\nCall log:\n  - navigating to "${url}"`);
    expect(gotoErrorText(url, e, true)).toBe(`navigating page: navigating frame to "${url}": net::ERR_CERT_AUTHORITY_INVALID`);
    expect(gotoErrorText(url, e, false)).toBe(`navigating frame to "${url}": net::ERR_CERT_AUTHORITY_INVALID`);
  });

  it('says a timeout as NavigateFrame does, inside the same wrapping', () => {
    const e = new Error('page.goto: Timeout 30000ms exceeded.\nCall log:\n  - navigating');
    expect(gotoErrorText(url, e, true)).toBe(`navigating page: navigating frame to "${url}": navigating to "${url}": timed out after 30s`);
  });

  it('leaves other failures as the browser calls say them', () => {
    expect(gotoErrorText(url, new Error('Target page, context or browser has been closed'), true)).toBe('canceled');
  });
});

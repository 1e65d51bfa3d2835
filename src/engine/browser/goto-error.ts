// The error of a failed goto in k6's words. k6's Frame.Goto wraps what FrameManager.NavigateFrame
// returned in `navigating frame to "<url>": …`, and Page.Goto adds `navigating page: `
// (common/frame.go, page.go). A navigation the browser aborted (Network.loadingFailed of the
// document: refused connection, certificate error, unknown host) is the bare net:: error text; a
// timeout is NavigateFrame's own `navigating to "<url>": timed out after 30s`. Playwright words the
// first as `net::ERR_CONNECTION_REFUSED at <url>`.
import { browserErrorText } from './browser-calls.ts';

/** The message k6 rejects `page.goto` (`page` true) or `frame.goto` with, for a Playwright error. */
export function gotoErrorText(url: string, e: unknown, page: boolean): string {
  const text = browserErrorText(e);
  const quoted = JSON.stringify(url);
  let inner: string | undefined;
  const aborted = /^(net::ERR_[A-Z0-9_]+)(?: at .*)?$/s.exec(text);
  if (aborted !== null) inner = aborted[1];
  else if (text.startsWith('timed out after ')) inner = `navigating to ${quoted}: ${text}`;
  if (inner === undefined) return text;
  return `${page ? 'navigating page: ' : ''}navigating frame to ${quoted}: ${inner}`;
}

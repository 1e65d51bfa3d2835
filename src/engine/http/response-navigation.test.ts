import { describe, expect, it } from 'vitest';
import { NO_RAW_HEADERS, Response, type ResponseRequester } from './response.ts';
import { formSubmission, linkNavigation } from './response-navigation.ts';

const PAGE = `<html><body>
<a href="next.html?p=2">next</a><a id="nohref">none</a>
<form id="post" action="../save" method="post">
  <input name="a" value="1"><input type="checkbox" name="b" value="on-b" checked="checked">
  <select name="m" multiple><option selected>x</option><option selected>y</option></select>
  <button type="submit" name="go" value="save">Save</button>
</form>
<form id="get" action="/find?old=1"><input name="q" value="two words"><input type="submit" value="Search"></form>
<form id="self"><input name="z" value="9"></form>
</body></html>`;

function page(body: string | null = PAGE, requester?: ResponseRequester): Response {
  return new Response({
    requester,
    status: 200, status_text: '200 OK', body, rawHeaders: NO_RAW_HEADERS,
    timings: { blocked: 0, looking_up: 0, connecting: 0, tls_handshaking: 0, sending: 0, waiting: 0, receiving: 0, duration: 0 },
    url: 'http://shop.test/app/list.html?x=1', remote_ip: '', remote_port: 0, proto: 'HTTP/1.1', tls_version: '', error: '',
    error_code: 0, request: { method: 'GET', url: 'http://shop.test/app/list.html?x=1', headers: {}, body: '', cookies: {} },
  });
}

describe('Response.submitForm / clickLink targets', () => {
  it('posts the form values, the submit button and the given fields to the resolved action', () => {
    const req = formSubmission(page(), { formSelector: '#post', fields: { a: '5', extra: 'e' }, params: { tags: { n: '1' } } });
    expect(req).toEqual({
      method: 'POST',
      url: 'http://shop.test/save',
      body: { a: '5', b: 'on-b', m: ['x', 'y'], go: 'save', extra: 'e' },
      params: { tags: { n: '1' } },
    });
  });

  it('a GET form replaces the action\'s query with its values, keys sorted; no action means the page URL', () => {
    expect(formSubmission(page(), { formSelector: '#get' })).toMatchObject({ method: 'GET', url: 'http://shop.test/find?q=two+words', body: null });
    expect(formSubmission(page(), { formSelector: '#self', fields: { a: 'b' } }).url).toBe('http://shop.test/app/list.html?a=b&z=9');
  });

  it('the first form by default, and a clear error when there is none', () => {
    expect(formSubmission(page()).method).toBe('POST');
    expect(() => formSubmission(page(), { formSelector: '#nope' })).toThrow("no form found for selector '#nope' in response 'http://shop.test/app/list.html?x=1'");
    // sobek's ToObject: a string argument has none of the option keys, so the defaults apply.
    expect(formSubmission(page(), 'form')).toMatchObject({ method: 'POST', url: 'http://shop.test/save' });
  });

  it('clickLink follows a[href] by default, resolved against the page URL', () => {
    expect(linkNavigation(page())).toEqual({ method: 'GET', url: 'http://shop.test/app/next.html?p=2', body: null, params: null });
    expect(() => linkNavigation(page(), { selector: '#nohref' })).toThrow(/no valid href attribute value found on element '#nohref'/);
    expect(() => linkNavigation(page(), { selector: 'nav a' })).toThrow(/no element found for selector 'nav a'/);
  });

  it('its errors are GoErrors (k6 common.Throw), and an href or action Go cannot parse is url.Parse\'s error', () => {
    const goErr = (message: string | RegExp) => expect.objectContaining({ name: 'GoError', message: typeof message === 'string' ? message : expect.stringMatching(message) });
    expect(() => linkNavigation(page(), { selector: 'nav a' })).toThrow(goErr(/^no element found for selector 'nav a' in response /));
    expect(() => linkNavigation(page(), { selector: '#nohref' })).toThrow(goErr(/^no valid href attribute value found/));
    expect(() => formSubmission(page(), { formSelector: '#nope' })).toThrow(goErr(/^no form found/));
    const bad = page('<a href="/x%zz">bad</a><form action="http://a b/"><input name="q"></form>');
    expect(() => linkNavigation(bad)).toThrow(goErr('parse "/x%zz": invalid URL escape "%zz"'));
    expect(() => formSubmission(bad)).toThrow(goErr(/^parse "http:\/\/a b\/": invalid character " " in host name$/));
  });

  it('needs a response made by k6/http, and a body', () => {
    expect(() => page().clickLink()).toThrow('clickLink() works only on a response of a k6/http request');
    expect(() => page(null).html()).toThrow(/the body is null/);
    // A GoError, as k6's common.Throw: the logged exception reads "GoError: the body is null …".
    expect(() => page(null).html()).toThrow(expect.objectContaining({ name: 'GoError' }));
    expect(() => page(null).json()).toThrow(expect.objectContaining({ name: 'GoError', message: expect.stringContaining("can't transform it to JSON") }));
    const calls: unknown[][] = [];
    const res = page(PAGE, (...args: unknown[]) => calls.push(args));
    res.clickLink({ params: { timeout: '1s' } });
    expect(calls).toEqual([['GET', 'http://shop.test/app/next.html?p=2', null, { timeout: '1s' }]]);
  });
});

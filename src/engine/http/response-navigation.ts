// What Response.submitForm() and Response.clickLink() request, computed from the response's HTML as
// k6 does (js/modules/k6/http/response.go): the form's method (GET by default) and action resolved
// against the response URL (the URL itself without one); the form's serializeObject() plus the submit
// button's name/value, overridden by `fields`; GET puts them in the query (replacing the action's,
// keys sorted), other methods send them as a form body. A link is `a[href]` by default, fetched with GET.
import type { Selection } from '../modules/html/html-module.ts';
import { goError } from '../vu/go-error.ts';
import { goUrlParseError } from './go-url-parse.ts';
import { formEscape } from './request-body.ts';

export interface NavigationRequest {
  readonly method: string;
  readonly url: string;
  readonly body: Record<string, unknown> | null;
  readonly params: unknown;
}

/** The parts of Response these need. */
export interface HtmlSource {
  readonly url: string;
  html(selector?: unknown): Selection;
}

/** k6 reads the options with sobek's ToObject: a primitive (a string, a number) has none of the keys. */
function optionsObject(options: unknown): Record<string, unknown> {
  if (options === null || (typeof options !== 'object' && typeof options !== 'function')) return {};
  return options as Record<string, unknown>;
}

function stringOption(opts: Record<string, unknown>, key: string, def: string): string {
  const v = opts[key];
  return v === undefined ? def : String(v);
}

/** Go's url.Parse of the action/href then ResolveReference; a URL Go cannot parse is its error, as a GoError. */
function resolveAgainst(base: string, ref: string): URL {
  const bad = goUrlParseError(ref);
  if (bad !== undefined) throw goError(bad);
  try {
    return new URL(ref, base);
  } catch {
    throw goError(`parse ${JSON.stringify(ref)}: invalid URL`);
  }
}

export function formSubmission(res: HtmlSource, options?: unknown): NavigationRequest {
  const opts = optionsObject(options);
  const formSelector = stringOption(opts, 'formSelector', 'form');
  const submitSelector = stringOption(opts, 'submitSelector', '[type="submit"]');
  const params = opts.params ?? null;
  const form = res.html(formSelector);
  if (form.size() === 0) throw goError(`no form found for selector '${formSelector}' in response '${res.url}'`);

  const methodAttr = form.attr('method');
  const method = methodAttr === undefined ? 'GET' : String(methodAttr).toUpperCase();
  const actionAttr = form.attr('action');
  const url = resolveAgainst(res.url, actionAttr === undefined ? res.url : String(actionAttr));

  const values: Record<string, unknown> = form.serializeObject();
  const submit = form.find(submitSelector);
  const submitName = submit.attr('name');
  const submitValue = submit.val();
  if (submitName !== undefined && submitValue !== undefined) values[String(submitName)] = submitValue;
  const fields = opts.fields;
  if (fields !== null && typeof fields === 'object') Object.assign(values, fields);

  if (method === 'GET') {
    url.search = Object.keys(values).sort().map((k) => `${formEscape(k)}=${formEscape(String(values[k]))}`).join('&');
    return { method, url: url.href, body: null, params };
  }
  return { method, url: url.href, body: values, params };
}

export function linkNavigation(res: HtmlSource, options?: unknown): NavigationRequest {
  const opts = optionsObject(options);
  const selector = stringOption(opts, 'selector', 'a[href]');
  const link = res.html(selector);
  if (link.size() === 0) throw goError(`no element found for selector '${selector}' in response '${res.url}'`);
  const href = link.attr('href');
  if (href === undefined) throw goError(`no valid href attribute value found on element '${selector}' in response '${res.url}'`);
  return { method: 'GET', url: resolveAgainst(res.url, String(href)).href, body: null, params: opts.params ?? null };
}

// k6/browser's metrics (k6ext/metrics.go, common/network_manager.go, common/frame_session.go):
// - browser_web_vital_{lcp,fcp,cls,inp,ttfb}: trends (time, cls without a unit), one sample per
//   report of the web-vitals library injected in every page, tagged with the VU's tags, `url` and
//   `name` (the page's URL, or the name a page.on('metric') handler gave it) and `rating`;
// - browser_http_req_duration (time trend) and browser_data_received (data counter) per response,
//   browser_data_sent per request, browser_http_req_failed (rate: status outside 200–399) per
//   response received, tagged with method, url, name, ip, status, proto (as `systemTags` allows),
//   from_cache, from_prefetch_cache, from_service_worker and resource_type.
import type * as Pw from 'playwright-core';
import type { Tags, VuHost } from '../vu/vu-host.ts';
import { systemTagEnabled } from '../vu/system-tags.ts';

const WEB_VITALS: Readonly<Record<string, string>> = {
  TTFB: 'browser_web_vital_ttfb',
  LCP: 'browser_web_vital_lcp',
  CLS: 'browser_web_vital_cls',
  INP: 'browser_web_vital_inp',
  FCP: 'browser_web_vital_fcp',
};

/** The page binding the injected script reports web vitals through (k6's name). */
export const WEB_VITAL_BINDING = 'k6browserSendWebVitalMetric';

/** k6's web_vital_init.js, run after the web-vitals IIFE in every document. */
export const WEB_VITAL_INIT = `(() => {
  function print(metric) {
    const m = {
      id: metric.id, name: metric.name, value: metric.value, rating: metric.rating, delta: metric.delta,
      numEntries: metric.entries.length, navigationType: metric.navigationType, url: window.location.href,
      spanID: window.k6SpanId,
    };
    window.${WEB_VITAL_BINDING}(JSON.stringify(m));
  }
  webVitals.onCLS(print);
  webVitals.onLCP(print);
  webVitals.onFCP(print);
  webVitals.onINP(print);
  webVitals.onTTFB(print);
})();`;

/**
 * k6's Page.Close finalizes the vitals the library reports only when the page is hidden (CLS, LCP):
 * the document is made hidden, then a trusted key press ends LCP.
 */
export const HIDE_PAGE = `() => {
  Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
  Object.defineProperty(document, 'hidden', { value: true, configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}`;

export function defineBrowserMetrics(host: VuHost): void {
  for (const [vital, name] of Object.entries(WEB_VITALS)) host.metrics.define(name, 'trend', vital === 'CLS' ? 'default' : 'time');
  host.metrics.define('browser_data_sent', 'counter', 'data');
  host.metrics.define('browser_data_received', 'counter', 'data');
  host.metrics.define('browser_http_req_duration', 'trend', 'time');
  host.metrics.define('browser_http_req_failed', 'rate', 'default');
}

/** Gives the `url`/`name` tag value for a URL: a page.on('metric') handler's name, else the URL. */
export type UrlNamer = (page: Pw.Page | undefined, url: string, method: string) => Promise<string>;

export class BrowserMetrics {
  readonly #host: VuHost;
  readonly #namer: UrlNamer;
  /** When each request was issued (the request event), for requests that fail before any timing. */
  readonly #started = new WeakMap<Pw.Request, number>();
  readonly #tag: (t: string) => boolean;
  /** While false (between iterations, after the VU was interrupted) nothing is emitted. */
  live = false;

  constructor(host: VuHost, namer: UrlNamer) {
    this.#host = host;
    this.#namer = namer;
    const on = new Map<string, boolean>();
    this.#tag = (t) => {
      let v = on.get(t);
      if (v === undefined) on.set(t, (v = systemTagEnabled(host.options, t)));
      return v;
    };
  }

  /** A report of the page's web-vitals script (k6 parseAndEmitWebVitalMetric). */
  async webVital(page: Pw.Page | undefined, payload: unknown): Promise<void> {
    if (!this.live || typeof payload !== 'string') return;
    let wv: { name?: unknown; value?: unknown; rating?: unknown; url?: unknown };
    try {
      wv = JSON.parse(payload) as typeof wv;
    } catch {
      return;
    }
    const metric = typeof wv.name === 'string' ? WEB_VITALS[wv.name] : undefined;
    const value = Number(wv.value);
    if (metric === undefined || !Number.isFinite(value)) return;
    const tags: Record<string, string> = { ...this.#host.state.tags };
    if (this.#tag('url')) {
      const name = await this.#namer(page, String(wv.url ?? ''), 'GET');
      tags.url = name;
      tags.name = name;
    }
    tags.rating = String(wv.rating ?? '');
    if (this.live) this.#host.samples.add(metric, tags, value);
  }

  /** Listens to a context's network events. */
  attach(context: Pw.BrowserContext): void {
    context.on('request', (req) => this.#started.set(req, Date.now()));
    context.on('requestfinished', (req) => void this.#finished(req, false));
    context.on('requestfailed', (req) => void this.#finished(req, true));
  }

  async #finished(req: Pw.Request, failed: boolean): Promise<void> {
    if (!this.live) return;
    const ended = Date.now();
    let resp: Pw.Response | null = null;
    let sizes: Awaited<ReturnType<Pw.Request['sizes']>> | undefined;
    let addr: { ipAddress: string } | null = null;
    let proto = '';
    try {
      resp = failed ? null : await req.response();
      sizes = await req.sizes();
      if (resp !== null) {
        addr = await resp.serverAddr();
        proto = (await resp.httpVersion()).toLowerCase();
      }
    } catch {
      // The page or context went away meanwhile: what is known is still emitted.
    }
    if (!this.live) return;
    let page: Pw.Page | undefined;
    try {
      page = req.frame().page();
    } catch {
      page = undefined;
    }
    const method = req.method();
    const base: Record<string, string> = { ...this.#host.state.tags };
    if (this.#tag('method')) base.method = method;
    const url = resp?.url() ?? req.url();
    if (this.#tag('url')) {
      const name = await this.#namer(page, url, method);
      base.url = name;
      base.name = name;
    }
    const sentTags: Tags = { ...base, resource_type: resourceType(req) };
    const host = this.#host;
    if (sizes !== undefined) host.samples.add('browser_data_sent', sentTags, sizes.requestHeadersSize + sizes.requestBodySize);
    const timing = req.timing();
    const tags: Record<string, string> = { ...base };
    const status = resp === null ? 0 : resp.status();
    if (this.#tag('ip')) tags.ip = addr?.ipAddress ?? '';
    if (this.#tag('status')) tags.status = String(status);
    if (this.#tag('proto')) tags.proto = proto;
    tags.from_cache = 'false';
    tags.from_prefetch_cache = 'false';
    tags.from_service_worker = String(resp?.fromServiceWorker() ?? false);
    tags.resource_type = resourceType(req);
    // k6: the response's time less the request's; a request that failed before an answer ends now.
    // Playwright's startTime is -1 then (no timing): the time the request event came is used.
    const started = timing.startTime > 0 ? timing.startTime : (this.#started.get(req) ?? ended);
    const duration = timing.responseStart >= 0 ? timing.responseStart : Math.max(0, ended - started);
    const received = sizes === undefined || resp === null ? 0 : Math.max(0, sizes.responseHeadersSize) + Math.max(0, sizes.responseBodySize);
    host.samples.addMany(tags, [['browser_http_req_duration', duration], ['browser_data_received', received]]);
    if (resp !== null && timing.responseStart >= 0) {
      host.samples.add('browser_http_req_failed', tags, status < 200 || status > 399 ? 1 : 0);
    }
  }
}

/** CDP's resource type names, as k6 tags them (Document, Script, …). */
function resourceType(req: Pw.Request): string {
  const t = req.resourceType();
  const known: Record<string, string> = {
    document: 'Document', stylesheet: 'Stylesheet', image: 'Image', media: 'Media', font: 'Font', script: 'Script',
    texttrack: 'TextTrack', xhr: 'XHR', fetch: 'Fetch', eventsource: 'EventSource', websocket: 'WebSocket',
    manifest: 'Manifest', ping: 'Ping', other: 'Other', prefetch: 'Prefetch', signedexchange: 'SignedExchange',
    cspviolationreport: 'CSPViolationReport', preflight: 'Preflight',
  };
  return known[t] ?? t;
}

import type { Tags } from '../vu/vu-host.ts';
import type { HttpFailure } from './error-codes.ts';

// Tags of an HTTP request sample (k6 lib/netext/httpext/transport.go measureAndEmitMetrics), and a
// per-VU cache of the resulting objects. A steady workload repeats the same few tag sets; handing the
// sink the *same* frozen object lets the metrics aggregator resolve its series by identity instead of
// re-keying the tags on every request.

export interface HopTagInput {
  readonly method: string;
  /** The cleaned URL of the hop. */
  readonly url: string;
  /** A user `tags.name` or the http.url template; then `url` is set to it too. */
  readonly nameTag: string | undefined;
  readonly userTags: Readonly<Record<string, string>> | undefined;
  readonly status: number;
  readonly failure: HttpFailure | undefined;
  readonly tlsVersion: string | undefined;
  readonly proto: string;
  /** undefined while no response callback is set. */
  readonly expected: boolean | undefined;
  readonly ip: string;
}

const MAX_CACHED = 512;

interface CachedTags {
  readonly base: Tags;
  readonly tags: Tags;
}

export class RequestTagCache {
  private readonly enabled: ReadonlySet<string>;
  private readonly withIp: boolean;
  private readonly cache = new Map<string, CachedTags>();

  constructor(enabled: ReadonlySet<string>) {
    this.enabled = enabled;
    this.withIp = enabled.has('ip');
  }

  /** The last plain hop (no failure, no user tags) and its tags: a steady loop repeats it. */
  private last: { base: Tags; h: HopTagInput; tags: Tags } | undefined = undefined;

  /** The tag object for a hop; the same object for the same inputs while `base` stays the same. */
  tagsFor(base: Tags, h: HopTagInput): Tags {
    const last = this.last;
    if (last !== undefined && last.base === base && h.failure === undefined && h.userTags === undefined) {
      const l = last.h;
      if (
        l.url === h.url && l.method === h.method && l.status === h.status && l.expected === h.expected &&
        l.nameTag === h.nameTag && l.proto === h.proto && l.tlsVersion === h.tlsVersion && (!this.withIp || l.ip === h.ip)
      ) {
        return last.tags;
      }
    }
    const tags = this.lookup(base, h);
    if (h.failure === undefined && h.userTags === undefined) this.last = { base, h, tags };
    return tags;
  }

  private lookup(base: Tags, h: HopTagInput): Tags {
    let key = `${h.method}\n${h.status}\n${h.expected === undefined ? '' : h.expected ? 't' : 'f'}\n${h.url}\n${h.nameTag ?? '\u0000'}\n${h.tlsVersion ?? ''}\n${h.proto}`;
    if (h.failure !== undefined) key += `\n${h.failure.code}\n${h.failure.message}`;
    if (this.withIp) key += `\n${h.ip}`;
    if (h.userTags !== undefined) {
      for (const k in h.userTags) key += `\n${k}=${h.userTags[k] as string}`;
    }
    const hit = this.cache.get(key);
    if (hit !== undefined && hit.base === base) return hit.tags;
    const tags = Object.freeze(this.build(base, h));
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(key, { base, tags });
    return tags;
  }

  private build(base: Tags, h: HopTagInput): Record<string, string> {
    const on = this.enabled;
    const tags: Record<string, string> = { ...base, ...h.userTags };
    if (on.has('method')) tags.method = h.method;
    const shownUrl = h.nameTag ?? h.url;
    if (on.has('name')) tags.name = shownUrl;
    if (on.has('url')) tags.url = shownUrl;
    if (on.has('status')) tags.status = String(h.status);
    if (h.failure !== undefined) {
      if (on.has('error')) tags.error = h.failure.message;
      if (on.has('error_code')) tags.error_code = String(h.failure.code);
    } else {
      if (h.status >= 400 && on.has('error_code')) tags.error_code = String(1000 + h.status);
      if (on.has('proto')) tags.proto = h.proto;
      if (h.tlsVersion !== undefined && on.has('tls_version')) tags.tls_version = h.tlsVersion;
    }
    if (this.withIp && h.ip !== '') tags.ip = h.ip;
    if (h.expected !== undefined && on.has('expected_response')) tags.expected_response = h.expected ? 'true' : 'false';
    return tags;
  }
}

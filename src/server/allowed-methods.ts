// Which methods each registered path answers, so a request for a known path with a method it does
// not offer is a 405 naming the ones it does (RFC 9110 §15.5.6: the answer carries `Allow`), while a
// path nothing is registered under stays a 404. Fed by Fastify's onRoute hook as routes register.

interface RoutePattern {
  re: RegExp;
  methods: Set<string>;
}

export class AllowedMethods {
  private readonly patterns = new Map<string, RoutePattern>();

  /** Records `method` for a Fastify route url (`/cloud/v6/test_runs/:id/abort`). */
  add(method: string | readonly string[], url: string): void {
    const key = stripTrailingSlash(url);
    let pattern = this.patterns.get(key);
    if (pattern === undefined) {
      pattern = { re: routeRegExp(key), methods: new Set() };
      this.patterns.set(key, pattern);
    }
    for (const m of typeof method === 'string' ? [method] : method) pattern.methods.add(m.toUpperCase());
  }

  /** The methods offered at a concrete request path, sorted; empty when no route has that path. */
  at(path: string): string[] {
    const target = stripTrailingSlash(path);
    const methods = new Set<string>();
    for (const pattern of this.patterns.values()) {
      if (pattern.re.test(target)) for (const m of pattern.methods) methods.add(m);
    }
    return [...methods].sort();
  }
}

function stripTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** `:name` matches one path segment, `*` the rest; everything else literally. */
function routeRegExp(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

// Which stack a Grafana stack URL names. `k6 cloud login --stack X` validates its token with
// GET /cloud/v6/auth and `X-Stack-Url: https://X.grafana.net` (X a slug, or a URL given as is), not
// X-Stack-Id. Stampede's stacks have ids and names but no URLs, so the URL's first host label is read
// as a stack id (`https://2.grafana.net`) or as a stack name in slug form (`Team Blue` → `team-blue`).
// A label naming no stack, or more than one by name, names none.

export interface NamedStack {
  id: number;
  name: string;
}

/** A name as a host label: accents dropped, lower case, each run of other characters one `-`, none at the ends. */
export function stackSlug(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

export function stackForUrl(url: string, stacks: readonly NamedStack[]): number | undefined {
  const label = firstHostLabel(url);
  if (label === undefined) return undefined;
  if (/^[1-9]\d{0,15}$/.test(label)) return stacks.find((s) => s.id === Number(label))?.id;
  const named = stacks.filter((s) => stackSlug(s.name) === label);
  return named.length === 1 ? named[0]?.id : undefined;
}

function firstHostLabel(url: string): string | undefined {
  const text = url.trim();
  if (text === '') return undefined;
  try {
    const host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`).hostname;
    return host.split('.')[0]?.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

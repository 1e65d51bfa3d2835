// Tags a script passes to check() and custom metrics (k6 js/common/tags.go ApplyCustomUserTags):
// only strings, numbers and booleans, written as String() gives them; null/undefined means none.
import type { Tags } from '../vu/vu-host.ts';

export function applyUserTags(base: Tags, extra: unknown): Tags {
  if (extra === undefined || extra === null) return base;
  const out: Record<string, string> = { ...base };
  for (const [k, v] of Object.entries(Object(extra) as Record<string, unknown>)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new TypeError(`invalid value for metric tag '${k}': only String, Boolean and Number types are accepted as a metric tag values`);
    }
    out[k] = String(v);
  }
  return out;
}

// The identity of a time series' tag set: the same pairs give the same key whatever their order.
import type { Tags } from '../vu/vu-host.ts';

export function seriesKey(tags: Tags): string {
  const keys = Object.keys(tags);
  if (keys.length === 0) return '';
  keys.sort();
  let key = '';
  for (const k of keys) key += JSON.stringify(k) + ':' + JSON.stringify(tags[k]) + ',';
  return key;
}

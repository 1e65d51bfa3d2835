// Consolidated options back in k6's JSON shape (durations as "1m30s" strings), for the places where
// k6 writes options out: archive metadata, `k6 inspect` (`execution.test.options` is test-options.ts).
import { formatDuration } from '../../core/index.ts';
import type { JsonObject } from '../executors/config-fields.ts';
import type { K6Options } from './k6-options.ts';

const DURATION_KEYS: ReadonlySet<string> = new Set([
  'duration', 'setupTimeout', 'teardownTimeout', 'handleSummaryTimeout', 'minIterationDuration',
]);

/** `noThresholds`, `consoleOutput` and `localIPs` are not script options in k6, so they are left out. */
const NOT_IN_JSON: ReadonlySet<string> = new Set(['noThresholds', 'consoleOutput', 'localIPs']);

export function optionsToK6Json(options: K6Options): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || NOT_IN_JSON.has(key)) continue;
    if (DURATION_KEYS.has(key) && typeof value === 'number') out[key] = formatDuration(value);
    else if (key === 'stages' && Array.isArray(value)) {
      out[key] = (value as NonNullable<K6Options['stages']>).map((s) => ({
        ...(s.duration === undefined ? {} : { duration: formatDuration(s.duration) }),
        ...(s.target === undefined ? {} : { target: s.target }),
      }));
    } else out[key] = structuredClone(value);
  }
  return out;
}

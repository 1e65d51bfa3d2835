// Consolidated options back in k6's JSON shape (durations as "1m30s" strings), for the places where
// k6 exposes options to users: archive metadata, `execution.test.options`, `k6 inspect`.
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

/**
 * k6 `execution.test.options` (execution.go optionsAsObject): the consolidated options in their JSON
 * shape without the execution shortcuts, `consoleOutput` and `localIPs` as null (they are not given
 * to scripts), deeply frozen.
 */
export function testOptionsView(options: K6Options): Readonly<JsonObject> {
  const json = optionsToK6Json(options);
  for (const key of ['vus', 'iterations', 'duration', 'stages']) delete json[key];
  json.consoleOutput = null;
  json.localIPs = null;
  return deepFreeze(json);
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

// The `systemTags` option decides which of k6's system tags samples carry: besides the HTTP ones,
// `scenario` and `group` on every sample of a VU and `check` on checks. Callers read it once (per VU,
// per module), never per sample.
import { DEFAULT_SYSTEM_TAGS } from '../options/k6-options.ts';

/** Whether `tag` is on: listed in `systemTags`, or among k6's defaults when the option is unset. */
export function systemTagEnabled(options: { readonly systemTags?: readonly string[] | undefined }, tag: string): boolean {
  const list = Array.isArray(options.systemTags) ? options.systemTags : DEFAULT_SYSTEM_TAGS;
  return list.includes(tag);
}

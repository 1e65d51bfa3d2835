// A run's log lines, shaped as Grafana Cloud k6 keeps them (in Loki): the labels are k6 cloud's
// allowed ones (`test_run_id`, `lz`, `instance_id`, `source`; `level` is the line's level), and any
// other field of a line is written after its message as ` key=value`, sorted by key, as k6's Loki
// hook does with labels it may not send. Runs keep a bounded number of lines.

/** The labels k6 cloud keeps for a log line (the `allowed_labels` of a local run's runtime config). */
export const RUN_LOG_LABELS: readonly string[] = ['lz', 'level', 'test_run_id', 'instance_id', 'source'];

/** How many lines a run keeps unless the server is configured otherwise (STAMPEDE_RUN_LOG_LINES). */
export const DEFAULT_RUN_LOG_LINES = 20_000;

/** The longest message kept; longer ones are cut (k6 cloud's `message_max_size`). */
export const RUN_LOG_MESSAGE_MAX = 10_000;

/** logrus level names, as k6 writes them (`warning`, not `warn`). */
export const RUN_LOG_LEVELS: readonly string[] = ['trace', 'debug', 'info', 'warning', 'error', 'fatal', 'panic'];

/** A log line's message and labels from a message and its fields, for a run (and, when known, its zone and instance). */
export function runLogLine(
  message: string,
  fields: Readonly<Record<string, string>>,
  context: { testRunId: number; loadZone?: string; instanceId?: number },
): { message: string; labels: Record<string, string> } {
  const labels: Record<string, string> = { test_run_id: String(context.testRunId) };
  if (context.loadZone !== undefined) labels.lz = context.loadZone;
  if (context.instanceId !== undefined) labels.instance_id = String(context.instanceId);
  let text = message;
  for (const key of Object.keys(fields).sort()) {
    const value = fields[key] ?? '';
    if (key === 'level') continue;
    if (RUN_LOG_LABELS.includes(key)) labels[key] = value;
    else text += ` ${key}=${value}`;
  }
  return { message: cutMessage(text), labels };
}

/** A message cut to RUN_LOG_MESSAGE_MAX characters, saying how much was cut. */
export function cutMessage(message: string): string {
  return message.length > RUN_LOG_MESSAGE_MAX ? `${message.slice(0, RUN_LOG_MESSAGE_MAX)}… [${message.length - RUN_LOG_MESSAGE_MAX} characters cut]` : message;
}

/**
 * The line a run keeps when lines were dropped, saying how many and why: past the run's line cap, or by
 * its runners, which send at most 1,000 lines a second each (a script logging faster than that lost
 * most of its lines while this line blamed a cap the run was far from).
 */
export function droppedLinesMessage(pastCap: number, cap: number, byRunners = 0): string {
  const dropped = pastCap + byRunners;
  const why: string[] = [];
  if (byRunners > 0) why.push(`a runner sends at most 1000 a second${pastCap > 0 ? ` (${byRunners})` : ''}`);
  if (pastCap > 0) why.push(`a run keeps at most ${cap} (STAMPEDE_RUN_LOG_LINES)${byRunners > 0 ? ` (${pastCap})` : ''}`);
  return `${dropped} more log line${dropped === 1 ? ' was' : 's were'} dropped: ${why.join(' and ')}`;
}

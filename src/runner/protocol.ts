// The runner protocol: one JSON object per line. The orchestrator writes `ToRunner` messages to the
// runner's stdin; the runner writes `FromRunner` messages to its stdout and nothing else there (the
// script's own output travels as `log` messages), each line signed (signed-lines.ts). Both sides
// import only this file (and the signing) to talk.
//
// Conversation (inspect): inspect → [status initializing] → inspected | error, then the runner exits.
// Conversation (run):     start → status initializing → plan → (orchestrator) proceed | abort
//                         → status running → metrics*/progress* → status processing_metrics
//                         → finished | error, then status done and the runner exits.
// `abort` may arrive at any time after `start`; heartbeats flow every second from the first message on.

export const SCRIPT_CONTENT_TYPES = ['text/javascript', 'application/x-tar'] as const;
export type ScriptContentType = (typeof SCRIPT_CONTENT_TYPES)[number];

/** Why the orchestrator stops a run; the runner passes it to the engine's abort. */
export const RUNNER_ABORT_REASONS = ['user', 'system', 'limit', 'timeout'] as const;
export type RunnerAbortReason = (typeof RUNNER_ABORT_REASONS)[number];

export const RUNNER_PHASES = ['initializing', 'running', 'processing_metrics', 'done'] as const;
export type RunnerPhase = (typeof RUNNER_PHASES)[number];

export interface ScriptPayload {
  /** The script or k6 archive bytes, base64. */
  script: string;
  contentType: ScriptContentType;
  /** `-e K=V` style variables for `__ENV`. */
  env?: Record<string, string>;
}

/**
 * This runner's part of a run spread over several runners (one per load zone), as k6 execution
 * segments: `segment` "from:to" within the whole `sequence` "0,a,b,…,1". The runner's engine then runs
 * its stripe of every scenario (the shares' VUs add up to the script's), and leaves the thresholds to
 * the control plane, which judges them on every runner's data merged.
 */
export interface RunnerShare {
  segment: string;
  sequence: string;
}

export type ToRunner =
  | ({ type: 'inspect' } & ScriptPayload)
  | ({ type: 'start'; share?: RunnerShare } & ScriptPayload)
  /**
   * Run now. `env`: what the platform tells the script about this runner (Grafana Cloud k6's
   * `K6_CLOUDRUN_*`), added to the VUs' `__ENV` under the run's own variables.
   */
  | { type: 'proceed'; env?: Record<string, string> }
  | { type: 'abort'; reason: RunnerAbortReason; message?: string };

/** What the engine's plan says about a script, before anything runs. */
export interface PlanInfo {
  /** The script's consolidated options as JSON. */
  options: Record<string, unknown>;
  maxVUs: number;
  maxPlannedVUs: number;
  maxBrowserVUs: number;
  totalDurationMs: number;
  warnings: string[];
  /** k6 dependency constraints (`"use k6 ..."` directives or archive metadata); {} when none. */
  dependencies: Record<string, string>;
  /** What executes the script, for the run's `k6_versions`: `{k6: "v2.2.0", stampede: "stampede-0.1.0"}`, or `{k6: "stampede-0.1.0"}` when the engine names no k6 version. */
  versions: Record<string, string>;
}

export interface ProgressInfo {
  vus: number;
  iterations: number;
  elapsedMs: number;
  [key: string]: unknown;
}

export interface FinishedInfo {
  exitCode: number;
  /** The engine's abort reason, in snake_case, when the run was interrupted (`threshold`, `script_error`, `script_abort`, `user`, `timeout`). */
  abortReason?: string;
  abortMessage?: string;
  summaryData: unknown;
  /** Per metric, per expression: did it fail. */
  thresholds: Record<string, Record<string, boolean>>;
  checks: unknown;
  testRunDurationMs: number;
}

/** One line of the engine log (the script's console, the engine's warnings and errors): epoch ms, logrus level name. */
export interface RunnerLogLine {
  time: number;
  level: 'debug' | 'info' | 'warning' | 'error';
  msg: string;
  fields: Record<string, string>;
}

export type FromRunner =
  | { type: 'heartbeat'; pid: number; time: number }
  | { type: 'status'; phase: RunnerPhase }
  | ({ type: 'plan' } & PlanInfo)
  | ({ type: 'inspected' } & PlanInfo)
  | { type: 'metrics'; batch: unknown }
  | ({ type: 'progress' } & ProgressInfo)
  | { type: 'log'; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'logLines'; lines: RunnerLogLine[]; dropped: number }
  | ({ type: 'finished' } & FinishedInfo)
  | { type: 'error'; message: string; exitCode: number };

const TO_RUNNER_TYPES = new Set<string>(['inspect', 'start', 'proceed', 'abort']);
const FROM_RUNNER_TYPES = new Set<string>(['heartbeat', 'status', 'plan', 'inspected', 'metrics', 'progress', 'log', 'logLines', 'finished', 'error']);

export function encodeMessage(message: ToRunner | FromRunner): string {
  return `${JSON.stringify(message)}\n`;
}

function parseTyped(line: string, known: Set<string>): { type: string } | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && known.has(type) ? (value as { type: string }) : null;
}

/** A line from the runner, or null when it is not a protocol message (stray output is ignored). */
export function parseFromRunner(line: string): FromRunner | null {
  return parseTyped(line, FROM_RUNNER_TYPES) as FromRunner | null;
}

/** A line from the orchestrator, or null when it is not a protocol message. */
export function parseToRunner(line: string): ToRunner | null {
  const message = parseTyped(line, TO_RUNNER_TYPES) as ToRunner | null;
  if (message?.type === 'abort' && !(RUNNER_ABORT_REASONS as readonly string[]).includes(message.reason)) return null;
  if ((message?.type === 'start' || message?.type === 'inspect') && (typeof message.script !== 'string' || !(SCRIPT_CONTENT_TYPES as readonly string[]).includes(message.contentType))) return null;
  if (message?.type === 'start' && message.share !== undefined && (typeof message.share?.segment !== 'string' || typeof message.share.sequence !== 'string')) return null;
  return message;
}

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines, keeping a partial last line until the rest arrives. A chunk is searched
 * for its own newlines only and a partial line is kept as a list of chunks, decoded once it ends (a
 * newline byte is never part of a UTF-8 character, so a character split between chunks comes out whole):
 * a metrics line of megabytes arrives in many 64 KiB chunks, and re-scanning (and re-flattening)
 * everything held for each of them made reading it quadratic, slower than a busy runner writes.
 * With `maxLineBytes`, a line longer than that is neither held nor given: its bytes are dropped as they
 * come, up to its newline, and `onOverlong` is told its length (a script holding its runner's `process`
 * can write to its stdout without ever ending a line, and the reader must not keep it all).
 */
export function lineSplitter(onLine: (line: string) => void, limits: { maxLineBytes?: number; onOverlong?: (bytes: number) => void } = {}): (chunk: Buffer | string) => void {
  const max = limits.maxLineBytes ?? Infinity;
  let pieces: Buffer[] = [];
  let held = 0;
  // Bytes of a line past `max` seen so far (0: not skipping): they are dropped as they come, not held.
  let skipped = 0;
  const overlong = (bytes: number): void => {
    pieces = [];
    held = 0;
    skipped = bytes;
  };
  return (chunk) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let from = 0;
    let newline = bytes.indexOf(NEWLINE);
    while (newline >= 0) {
      if (skipped === 0 && held + newline - from > max) overlong(held + newline - from);
      else if (skipped > 0) skipped += newline - from;
      if (skipped > 0) {
        limits.onOverlong?.(skipped);
        skipped = 0;
      } else {
        pieces.push(bytes.subarray(from, newline));
        const line = (pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces)).toString('utf8').trim();
        if (line.length > 0) onLine(line);
      }
      pieces = [];
      held = 0;
      from = newline + 1;
      newline = bytes.indexOf(NEWLINE, from);
    }
    if (from >= bytes.length) return;
    const rest = bytes.length - from;
    if (skipped > 0) skipped += rest;
    else if (held + rest > max) overlong(held + rest);
    else {
      // A copy: the stream may reuse the chunk's memory once this returns.
      pieces.push(Buffer.from(bytes.subarray(from)));
      held += rest;
    }
  };
}

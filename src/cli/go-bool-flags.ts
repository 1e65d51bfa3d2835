// pflag's boolean flags take an optional `=value` (`--include-system-env-vars=false`, `--throw=1`,
// `-q=true`), which commander does not parse. Before the command line reaches commander, such a token
// is rewritten to what it means: a true value gives the bare flag, a false one drops it (the flag not
// given) — except for flags on by default, whose false form is their hidden `--no-…` negation.
// Values strconv.ParseBool rejects are left as they are, for commander to refuse (exit 255).
import { parseGoBool } from '../core/index.ts';

/** k6's boolean flags of run, archive, inspect and the root (long names). */
const BOOL_FLAGS: ReadonlySet<string> = new Set([
  'paused', 'no-setup', 'no-teardown', 'insecure-skip-tls-verify', 'no-connection-reuse', 'no-vu-connection-reuse',
  'throw', 'discard-response-bodies', 'no-thresholds', 'new-machine-readable-summary', 'linger', 'no-usage-report',
  'no-summary', 'exclude-env-vars', 'execution-requirements', 'no-color', 'verbose', 'quiet', 'profiling-enabled',
  // `cloud run`, `cloud login`, the cloud lists
  'local-execution', 'no-archive-upload', 'no-cloud-secrets', 'no-cloud-logs', 'detach', 'show', 'reset', 'json',
]);

/** Boolean flags whose false form must reach the command (their default depends on it). */
const NEGATABLE: ReadonlySet<string> = new Set(['include-system-env-vars', 'exit-on-running', 'show-logs']);

const SHORT_BOOL_FLAGS: Readonly<Record<string, string>> = { p: 'paused', w: 'throw', l: 'linger', v: 'verbose', q: 'quiet' };


/** Rewrites pflag-style `--bool-flag=value` tokens of `args` (everything after `--` is left alone). */
export function rewriteGoBoolFlags(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const m = /^(--?)([^=]+)=(.*)$/s.exec(arg);
    const name = m === null ? undefined : m[1] === '--' ? m[2] : SHORT_BOOL_FLAGS[m[2] as string];
    const value = m === null ? undefined : parseGoBool(m[3] as string);
    if (name === undefined || !(BOOL_FLAGS.has(name) || NEGATABLE.has(name)) || value === undefined) {
      out.push(arg);
    } else if (value) {
      out.push(`--${name}`);
    } else if (NEGATABLE.has(name)) {
      out.push(`--no-${name}`);
    }
  }
  return out;
}

// Reading a script's options and plan without running it: a short-lived runner in `inspect` mode.
// Options alone are checked the same way, as a script that only declares them.
import { StampedeError } from '../core/index.ts';
import { spawnRunner } from '../runner/index.ts';
import type { FromRunner, PlanInfo, ScriptContentType, ServerEndpoint } from '../runner/index.ts';
import { runnerLimitCheck } from './runner-limits.ts';

export interface InspectionSettings {
  runnerTmpRoot?: string;
  /** The server's own services, which the script's init code cannot connect to. */
  deniedEndpoints?: readonly ServerEndpoint[];
  engineModule?: string;
  timeoutMs: number;
  /** A runner past these (resident memory, run folder) is killed, as a run's is (the script's init code runs here). */
  memoryBytes: number;
  diskBytes: number;
}

/** Bounds how many inspection runners exist at once, so a burst of uploads cannot fork without limit. */
export class InspectionSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async with<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((res) => this.waiting.push(res));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.free++;
    }
  }
}

export type Inspected = { ok: true; plan: PlanInfo } | { ok: false; message: string; problems: string[]; exitCode: number };

/**
 * Throws STAMPEDE_ERR_INTERNAL (a 500, not the script's fault) when no runner could be started (its
 * temp root unwritable or full, no file descriptors or processes left).
 */
export async function inspectWithRunner(bytes: Uint8Array, contentType: ScriptContentType, settings: InspectionSettings): Promise<Inspected> {
  try {
    return await inspectOnce(bytes, contentType, settings);
  } catch (err) {
    if (err instanceof RunnerStartError) throw err.toStampede();
    const message = `The script could not be inspected: ${err instanceof Error ? err.message : String(err)}`;
    return { ok: false, message, problems: [message], exitCode: 255 };
  }
}

/** The server could not start a runner: its own condition, not the script's. */
class RunnerStartError extends Error {
  toStampede(): StampedeError {
    const code = (this.cause as { code?: unknown } | undefined)?.code;
    const why = typeof code === 'string' ? code : this.cause instanceof Error ? this.cause.message : String(this.cause);
    return new StampedeError('STAMPEDE_ERR_INTERNAL', `The script could not be inspected: the server could not start a runner (${why}); try again later`, { cause: this.cause });
  }
}

async function inspectOnce(bytes: Uint8Array, contentType: ScriptContentType, settings: InspectionSettings): Promise<Inspected> {
  const runner = await spawnRunner({
    ...(settings.runnerTmpRoot === undefined ? {} : { tmpRoot: settings.runnerTmpRoot }),
    ...(settings.engineModule === undefined ? {} : { engineModule: settings.engineModule }),
    ...(settings.deniedEndpoints === undefined ? {} : { deniedEndpoints: settings.deniedEndpoints }),
  }).catch((err: unknown) => {
    throw new RunnerStartError('runner start failed', { cause: err });
  });
  let answer: FromRunner | null = null;
  runner.onMessage((m) => {
    if (answer === null && (m.type === 'inspected' || m.type === 'error')) answer = m;
  });
  const timer = setTimeout(() => runner.kill(), settings.timeoutMs);
  let overLimit: string | null = null;
  const watch = setInterval(
    runnerLimitCheck(runner, settings, (why) => {
      overLimit ??= why;
      runner.kill();
    }),
    1000,
  );
  runner.send({ type: 'inspect', script: Buffer.from(bytes).toString('base64'), contentType });
  const exit = await runner.exited;
  clearTimeout(timer);
  clearInterval(watch);
  if (overLimit !== null) return { ok: false, message: `The script could not be inspected: ${overLimit}`, problems: [overLimit], exitCode: 255 };
  const got = answer as FromRunner | null;
  if (got?.type === 'inspected') {
    const { type: _type, ...plan } = got;
    return { ok: true, plan };
  }
  if (got?.type === 'error') {
    const problems = got.message.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
    return { ok: false, message: problems[0] ?? got.message, problems, exitCode: got.exitCode };
  }
  const why = exit.signal === 'SIGKILL' ? `took longer than ${settings.timeoutMs} ms` : `runner exited (${exit.signal ?? exit.code})`;
  return { ok: false, message: `The script could not be inspected: ${why}`, problems: [runner.stderrTail().trim()].filter((s) => s.length > 0), exitCode: 255 };
}

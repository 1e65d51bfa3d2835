// The end of a run's output (k6 internal/js/summary-wrapper.js, cmd/run.go handleSummaryResult):
// handleSummary(data) decides, by its return value, what goes where —
//   { stdout: text, stderr: text, "<path>": text | ArrayBuffer }: each key written (paths truncated);
//   a falsy value: the default text summary on stdout; any object, even {}, suppresses it;
//   an exception: logged, and the default text summary printed (an exec.test.abort() too, logged as k6
//   logs an interrupt, the exit code unchanged);
//   past handleSummaryTimeout, or anything else (a string, an array, a key whose value is not text or an ArrayBuffer), or an export
//   that is not a function: logged, and nothing printed or written, not even --summary-export.
// Without handleSummary the default text goes to stdout. `--summary-export` is written with the rest.
import { errorText } from '../vu/error-text.ts';
import { goTypeName } from '../vu/go-error.ts';
import { ScriptAbort, VuInterrupt } from '../vu/interrupt.ts';
import { interruptText } from '../vu/exception-text.ts';
import { goFixed } from '../executors/progress-format.ts';
import * as path from 'node:path';
import { renderSummaryExport } from '../summary/summary-export.ts';
import { machineReadableSummary } from '../summary/machine-readable-summary.ts';
import { K6_COMPAT_VERSION } from '../options/k6-options.ts';
import type { SummaryData } from '../summary/summary-data.ts';
import type { CheckTotal, SummaryBreakdown } from '../summary/summary-breakdown.ts';
import { renderTextSummary } from '../summary/text-summary.ts';
import type { ThresholdResult } from '../thresholds/evaluate-thresholds.ts';
import type { LoadedTestState } from './load-test.ts';
import { goErrnoText } from './go-errno.ts';

type CallHandleSummary = (data: unknown) => Promise<{ value?: unknown; error?: unknown }>;

function bytesOf(v: unknown): string | Uint8Array | undefined {
  if (typeof v === 'string') return v;
  if (Object.prototype.toString.call(v) === '[object ArrayBuffer]') return new Uint8Array(v as ArrayBuffer);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return undefined;
}

export async function writeSummaryOutputs(
  t: LoadedTestState, data: SummaryData, thresholds: readonly ThresholdResult[], checkTotals: readonly CheckTotal[],
  callHandleSummary: CallHandleSummary, breakdown?: SummaryBreakdown,
  /** Initialises (and closes) the VU the summary runs in when the script exports no handleSummary. */
  initSummaryVu?: () => Promise<void>,
): Promise<void> {
  const mode = t.summaryMode === 'full' ? 'full' : 'compact';
  const defaultText = (): string => renderTextSummary(data, {
    thresholdResults: thresholds, checkTotals, enableColors: t.io.stdout.isTTY && !t.noColor, mode, ...(breakdown === undefined ? {} : { breakdown }),
  });
  // k6 (internal/js/runner.go HandleSummary, summary-wrapper.js, cmd/run.go handleSummaryResult): the
  // result map, the export added, is checked whole before anything is written; a failure there logs
  // "failed to handle the end-of-test summary" and nothing at all is printed or written.
  const fail = (error: string): void => t.log.write('error', 'failed to handle the end-of-test summary', { error });
  if (!t.exports.has('handleSummary') && initSummaryVu !== undefined) {
    // k6 (runner.go HandleSummary) makes a fresh VU for the summary whether or not the script exports
    // handleSummary, so the init code runs once more (its console output shows) before any summary.
    try {
      await initSummaryVu();
    } catch (e) {
      fail(errorText(e));
      return;
    }
  }
  if (t.handleSummaryNotAFunction) {
    fail('exported identifier handleSummary must be a function');
    return;
  }
  // k6 summary-wrapper.js: with the new machine-readable summary, handleSummary gets it and the
  // export is that same object as JSON.
  const machine = t.flags.newMachineReadableSummary === true
    ? machineReadableSummary({
      data, checkTotals, mode, script: new TextDecoder().decode(t.compiled.sourceBytes), k6Version: K6_COMPAT_VERSION, now: new Date(),
    })
    : undefined;
  let result: unknown;
  if (t.exports.has('handleSummary')) {
    const r = await callHandleSummary(machine ?? data);
    // An exception is logged and the default summary printed instead; past handleSummaryTimeout k6's
    // deadline check fails the whole summary.
    if (r.error instanceof ScriptAbort) {
      // k6's exec.test.abort() interrupts the runtime: errext.Format of sobek's InterruptedError is its
      // Error() text alone (no hint, no source), and the run's exit code is left as it was.
      t.log.write('error', interruptText(r.error));
    } else if (r.error !== undefined && !(r.error instanceof VuInterrupt)) {
      // k6 logs the exception as errext.Format gives it: the stack, a hint and its source.
      t.log.write('error', errorText(r.error), { hint: 'script exception', source: 'stacktrace' });
    } else if (r.error !== undefined && r.error.reason !== 'timeout') t.log.write('error', errorText(r.error));
    if (r.error instanceof VuInterrupt && r.error.reason === 'timeout') {
      // k6 (runner.go HandleSummary) returns only its timeout error: the interrupt itself is not logged.
      fail(`handleSummary() execution timed out after ${goFixed(t.options.handleSummaryTimeout / 1000, 0)} seconds`);
      return;
    }
    if (r.error === undefined) result = r.value;
  }
  const outputs = new Map<string, string | Uint8Array>();
  if (!result) {
    outputs.set('stdout', defaultText());
  } else if (typeof result !== 'object' || Array.isArray(result)) {
    fail('handleSummary() should return a map with string keys');
    return;
  } else {
    for (const [key, value] of Object.entries(result as Record<string, unknown>)) {
      const content = bytesOf(value);
      if (content === undefined) {
        fail(`error handling summary object ${key}: invalid type ${goTypeName(value)}, it needs to be a string or ArrayBuffer`);
        return;
      }
      outputs.set(key, content);
    }
  }
  if (t.flags.summaryExport !== undefined && t.flags.summaryExport !== '') {
    outputs.set(t.flags.summaryExport, machine === undefined ? renderSummaryExport(data) : JSON.stringify(machine, null, 4));
  }
  const problems: string[] = [];
  for (const [key, content] of outputs) {
    if (key === 'stdout') t.io.stdout.write(typeof content === 'string' ? content : new TextDecoder().decode(content));
    else if (key === 'stderr') t.io.stderr.write(typeof content === 'string' ? content : new TextDecoder().decode(content));
    else {
      try {
        await t.io.writeFile(path.resolve(t.io.cwd, key), content);
      } catch (e) {
        // Go's *PathError names the path as handleSummary gave it: `open reports/x.json: no such file or directory`.
        problems.push(`could not open '${key}': open ${key}: ${goErrnoText(e)}`);
      }
    }
  }
  if (problems.length > 0) fail(['Could not save some summary information:', ...problems.map((p) => `\t- ${p}`)].join('\n'));
}


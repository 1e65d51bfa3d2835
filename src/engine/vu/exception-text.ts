// How k6 words a script exception inside a Go error: sobek's Exception.Error() is the thrown value's
// text then ` at ` and its first frame (`Error: boom at file:///…/script.js:5:13(12)`), which Go code
// wraps with `%w` (k6/html's `the function passed to each() failed: %w`).
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { framePart } from '../compile/stack-mapper.ts';

/** Stampede's own sources: frames there are the engine's, not the script's. */
const SOURCE_DIR = `${path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))))}/`;
const FRAME = /^\s+at (.*)$/;

/** The first frame of `e`'s stack that is the script's (V8's text after `at `). */
function firstScriptFrame(e: unknown): string | undefined {
  for (const line of stackLines(e)) {
    const frame = FRAME.exec(line)?.[1];
    if (frame !== undefined && isScriptFrame(frame)) return frame;
  }
  return undefined;
}

function isScriptFrame(frame: string): boolean {
  return !frame.includes(SOURCE_DIR) && !/\(?node:/.test(frame) && !frame.endsWith('(<anonymous>)');
}

function stackLines(e: unknown): string[] {
  let stack: unknown;
  try {
    stack = typeof e === 'object' && e !== null ? (e as { stack?: unknown }).stack : undefined;
  } catch {
    return [];
  }
  return typeof stack === 'string' ? stack.split('\n') : [];
}

/**
 * `e` as sobek's Exception.Error() words it: `String(e)`, then ` at ` and the frame where it was
 * made (the stack mapper writes it as k6 does). A value V8 keeps no stack for (a thrown string) has
 * its text only.
 */
export function exceptionText(e: unknown): string {
  let text: string;
  try {
    text = String(e);
  } catch {
    text = Object.prototype.toString.call(e);
  }
  return withFirstFrame(text, e);
}

/**
 * An `exec.test.abort()` (a ScriptAbort) as sobek's InterruptedError.Error() words it: the abort
 * reason, then ` at ` and the frame that called abort (`test aborted: why at handleSummary
 * (file:///…/script.js:5:13)`). The abort's stack starts at that caller; when it is not the script's
 * (a built-in jslib calling abort, where k6 names the jslib's downloaded file) the reason stands alone.
 */
export function interruptText(e: Error): string {
  const caller = FRAME.exec(stackLines(e).find((line) => FRAME.test(line)) ?? '')?.[1];
  return caller === undefined || !isScriptFrame(caller) ? e.message : `${e.message} at ${framePart(caller)}`;
}

function withFirstFrame(text: string, e: unknown): string {
  const frame = firstScriptFrame(e);
  return frame === undefined ? text : `${text} at ${framePart(frame)}`;
}

// Element states where k6's injected script (common/js/injected_script.js checkElementState) answers
// what Playwright refuses: isEditable of an element that is not an input, textarea, select or
// contenteditable is, for k6, "not disabled" (only a disabled button is), where Playwright throws
// "Element is not an <input>, <textarea>, <select> or [contenteditable] …".
import type * as Pw from 'playwright-core';
import { sourceFunction } from './page-function.ts';

const NOT_DISABLED_BUTTON = sourceFunction("(el) => !(el.nodeName === 'BUTTON' && el.hasAttribute('disabled'))");

export async function isEditable(target: Pw.Locator | Pw.ElementHandle, opts: { timeout?: number } = {}): Promise<boolean> {
  try {
    return await target.isEditable(opts);
  } catch (e) {
    if (!(e instanceof Error && e.message.includes('Element is not an <input>'))) throw e;
  }
  const evaluate = target.evaluate.bind(target) as (fn: () => void) => Promise<unknown>;
  return Boolean(await evaluate(NOT_DISABLED_BUTTON));
}

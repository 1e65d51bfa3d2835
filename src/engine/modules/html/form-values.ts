// Form controls as k6 reads them: Selection.val() and the serialize family. k6 reads attributes as
// written, not the HTML boolean-attribute rules: a control is skipped as disabled only when
// `disabled="disabled"`, and a checkbox or radio counts only when `checked="checked"` (`<input checked>`
// is not serialized). Kept for compatibility: the same page gives the same form data as in k6.
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element as DomElement } from 'domhandler';
import { formEscape } from '../../http/request-body.ts';
import { attrOf, isElement, nodeNameOf } from './dom-nodes.ts';

/** Inner HTML of the first node, "" when there is none (goquery's Html()). */
export function innerHtml($: CheerioAPI, node: AnyNode | undefined): string {
  if (node === undefined) return '';
  return $(node).html() ?? '';
}

/** An option's (or button's) value: its value attribute, else its inner HTML. */
export function valueOrHtml($: CheerioAPI, node: AnyNode | undefined): string {
  return attrOf(node, 'value') ?? innerHtml($, node);
}

/** k6's Selection.val() for the first node: a string, an array (select multiple) or undefined. */
export function controlValue($: CheerioAPI, nodes: ArrayLike<AnyNode>): string | string[] | undefined {
  const node = nodes[0];
  switch (nodeNameOf(node)) {
    case 'input': {
      const value = attrOf(node, 'value');
      if (value !== undefined) return value;
      const type = attrOf(node, 'type');
      return type === 'radio' || type === 'checkbox' ? 'on' : '';
    }
    case 'button':
      return attrOf(node, 'value') ?? '';
    case 'textarea':
      return innerHtml($, node);
    case 'option':
      return valueOrHtml($, node);
    case 'select': {
      const selected = $(node as AnyNode).find('option[selected]').toArray();
      if (attrOf(node, 'multiple') !== undefined) return selected.map((opt) => valueOrHtml($, opt));
      return valueOrHtml($, selected[0]);
    }
    default:
      return undefined;
  }
}

export interface FormValue {
  name: string;
  value: string | string[] | undefined;
}

const SUBMITTABLE = 'input,select,textarea,keygen';
const NOT_SUBMITTED: ReadonlySet<string> = new Set(['submit', 'button', 'reset', 'image', 'file']);

function submitted(node: DomElement): boolean {
  const name = node.attribs.name ?? '';
  const type = node.attribs.type ?? '';
  if (name === '' || node.attribs.disabled === 'disabled' || NOT_SUBMITTED.has(type)) return false;
  return node.attribs.checked === 'checked' || (type !== 'checkbox' && type !== 'radio');
}

/** The name/value pairs of a form (its controls) or of a set of controls, in document order. */
export function serializeArray($: CheerioAPI, nodes: ArrayLike<AnyNode>): FormValue[] {
  const sel = $(Array.from(nodes));
  const controls = sel.is('form') ? sel.find(SUBMITTABLE) : sel.filter(SUBMITTABLE);
  const out: FormValue[] = [];
  for (const node of controls.toArray()) {
    if (!isElement(node) || !submitted(node)) continue;
    out.push({ name: node.attribs.name as string, value: controlValue($, [node]) });
  }
  return out;
}

/** Later controls of the same name win, as in k6. */
export function serializeObject($: CheerioAPI, nodes: ArrayLike<AnyNode>): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const { name, value } of serializeArray($, nodes)) out[name] = value;
  return out;
}

/** URL-encoded form data, keys sorted (Go's url.Values.Encode); a multiple select repeats its key. */
export function serializeForm($: CheerioAPI, nodes: ArrayLike<AnyNode>): string {
  const values = new Map<string, string[]>();
  for (const { name, value } of serializeArray($, nodes)) {
    if (typeof value === 'string') values.set(name, [value]);
    else if (Array.isArray(value)) values.set(name, value);
  }
  const parts: string[] = [];
  for (const key of [...values.keys()].sort()) {
    for (const v of values.get(key) as string[]) parts.push(`${formEscape(key)}=${formEscape(v)}`);
  }
  return parts.join('&');
}

// k6/html's Selection: a jQuery-like set of nodes of one parsed document (k6 wraps goquery; this wraps
// cheerio). Methods follow k6's js/modules/k6/html: attr() of a missing attribute is undefined (or the
// default given), text() concatenates every node's text, html() is the first node's inner HTML ("" when
// empty), each(fn(index, element)) hands Elements while map/filter/not/is hand one-node Selections,
// map() returns an array, get(i) accepts negative indices, and an invalid CSS selector matches nothing.
// A callback's exception stops each() as a GoError wrapping it, is dropped by map() with that node's
// value, and propagates as it is from filter()/not()/is().
import type { Cheerio } from 'cheerio';
import type { AnyNode } from 'domhandler';
import { attrOf, isAncestor, isElement, textOf } from './dom-nodes.ts';
import { readData } from './data-attributes.ts';
import { Element, NODE } from './element.ts';
import { controlValue, innerHtml, serializeArray, serializeForm, serializeObject, type FormValue } from './form-values.ts';
import type { HtmlDocument } from './html-document.ts';
import { callSkippingErrors, callWrappingErrors, forEachCall, SKIPPED } from './script-callbacks.ts';
import { markBlocking } from '../../vu/blocking.ts';
import { exceptionText } from '../../vu/exception-text.ts';
import { goError } from '../../vu/go-error.ts';

type Nodes = Cheerio<AnyNode>;
/** What find(), has(), not(), add(), closest() accept: a selector, a Selection or an Element. */
type Target = string | Nodes | AnyNode;

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

function eachFailed(e: unknown): Error {
  return goError(`the function passed to each() failed: ${exceptionText(e)}`);
}

function isFunction(v: unknown): v is (...args: unknown[]) => unknown {
  return typeof v === 'function';
}

export class Selection {
  readonly #doc: HtmlDocument;
  readonly #nodes: Nodes;
  readonly #prev: Selection | undefined;

  constructor(doc: HtmlDocument, nodes: Nodes, prev: Selection | undefined) {
    this.#doc = doc;
    this.#nodes = nodes;
    this.#prev = prev;
  }

  /** The URL the document came from ("" for parseHTML). */
  get url(): string {
    return this.#doc.url;
  }

  #wrap(nodes: Nodes): Selection {
    return new Selection(this.#doc, nodes, this);
  }

  #target(arg: unknown, method: string): Target {
    if (typeof arg === 'string') return arg;
    if (arg instanceof Selection) return arg.#nodes;
    if (arg instanceof Element) return arg[NODE];
    throw new TypeError(`${method}(): invalid argument, cannot use a '${typeName(arg)}' as a selector`);
  }

  /** cheerio throws on a selector it cannot parse; k6 (cascadia) matches nothing. */
  #query(fn: () => Nodes): Selection {
    try {
      return this.#wrap(fn());
    } catch {
      return this.#wrap(this.#doc.$([]));
    }
  }

  #optionalSelector(selector: unknown): string | undefined {
    return selector === undefined || selector === null ? undefined : String(selector);
  }

  #one(i: number): Selection {
    return this.#wrap(this.#nodes.eq(i));
  }

  // --- traversal -------------------------------------------------------------------------------

  find(selector: unknown): Selection {
    const t = this.#target(selector, 'find');
    return this.#query(() => this.#nodes.find(t as string));
  }

  /** The first element matching the selector under this selection, as one-node selection. */
  single(selector: unknown): Selection {
    return this.#query(() => this.#nodes.find(String(selector)).first());
  }

  add(arg: unknown): Selection {
    const t = this.#target(arg, 'add');
    return this.#query(() => this.#nodes.add(typeof t === 'string' ? this.#doc.$(t) : (t as Nodes)));
  }

  children(selector?: unknown): Selection {
    const s = this.#optionalSelector(selector);
    return this.#query(() => (s === undefined ? this.#nodes.children() : this.#nodes.children(s)));
  }

  closest(selector: unknown): Selection {
    const t = this.#target(selector, 'closest');
    return this.#query(() => this.#nodes.closest(t as string));
  }

  contents(): Selection {
    return this.#wrap(this.#nodes.contents());
  }

  has(arg: unknown): Selection {
    const t = this.#target(arg, 'has');
    if (typeof t === 'string') return this.#query(() => this.#nodes.has(t));
    const needles = typeof (t as Nodes).toArray === 'function' ? (t as Nodes).toArray() : [t as AnyNode];
    return this.#wrap(this.#nodes.filter((_i, el) => needles.some((n) => isAncestor(el, n))));
  }

  next(selector?: unknown): Selection {
    const s = this.#optionalSelector(selector);
    return this.#query(() => this.#nodes.next(s));
  }

  nextAll(selector?: unknown): Selection {
    const s = this.#optionalSelector(selector);
    return this.#query(() => this.#nodes.nextAll(s));
  }

  prev(selector?: unknown): Selection {
    const s = this.#optionalSelector(selector);
    return this.#query(() => this.#nodes.prev(s));
  }

  prevAll(selector?: unknown): Selection {
    const s = this.#optionalSelector(selector);
    return this.#query(() => this.#nodes.prevAll(s));
  }

  parent(selector?: unknown): Selection {
    const s = this.#optionalSelector(selector);
    return this.#query(() => this.#nodes.parent(s));
  }

  parents(selector?: unknown): Selection {
    const s = this.#optionalSelector(selector);
    return this.#query(() => this.#nodes.parents(s));
  }

  siblings(selector?: unknown): Selection {
    const s = this.#optionalSelector(selector);
    return this.#query(() => this.#nodes.siblings(s));
  }

  nextUntil(until?: unknown, filter?: unknown): Selection {
    const u = this.#until(until, 'nextUntil');
    const f = this.#optionalSelector(filter);
    return this.#query(() => this.#nodes.nextUntil(u as string, f));
  }

  prevUntil(until?: unknown, filter?: unknown): Selection {
    const u = this.#until(until, 'prevUntil');
    const f = this.#optionalSelector(filter);
    return this.#query(() => this.#nodes.prevUntil(u as string, f));
  }

  parentsUntil(until?: unknown, filter?: unknown): Selection {
    const u = this.#until(until, 'parentsUntil');
    const f = this.#optionalSelector(filter);
    return this.#query(() => this.#nodes.parentsUntil(u as string, f));
  }

  #until(until: unknown, method: string): Target | undefined {
    return until === undefined || until === null ? undefined : this.#target(until, method);
  }

  /** The selection before the last traversal (goquery's End). */
  end(): Selection {
    return this.#prev ?? this.#wrap(this.#doc.$([]));
  }

  // --- filtering -------------------------------------------------------------------------------

  eq(index: unknown): Selection {
    return this.#one(Math.trunc(Number(index)) || 0);
  }

  first(): Selection {
    return this.#wrap(this.#nodes.first());
  }

  last(): Selection {
    return this.#wrap(this.#nodes.last());
  }

  slice(start: unknown, end?: unknown): Selection {
    const from = Math.trunc(Number(start)) || 0;
    return this.#wrap(end === undefined || end === null ? this.#nodes.slice(from) : this.#nodes.slice(from, Math.trunc(Number(end)) || 0));
  }

  /** filter(selector | Selection | fn(index, selection) → truthy); fn may block. */
  filter(arg: unknown): Selection | Promise<Selection> {
    if (typeof arg === 'string') return this.#query(() => this.#nodes.filter(arg));
    if (arg instanceof Selection) {
      const keep = new Set(arg.#nodes.toArray());
      return this.#wrap(this.#nodes.filter((_i, el) => keep.has(el)));
    }
    if (!isFunction(arg)) throw new TypeError('the argument to filter() must be a function, a selector or a selection');
    return this.#matching(arg, true);
  }

  /** not(selector | Selection | Element | fn(index, selection) → truthy); fn may block. */
  not(arg: unknown): Selection | Promise<Selection> {
    if (isFunction(arg)) return this.#matching(arg, false);
    const t = this.#target(arg, 'not');
    if (typeof t === 'string') return this.#query(() => this.#nodes.not(t));
    const drop = new Set(typeof (t as Nodes).toArray === 'function' ? (t as Nodes).toArray() : [t as AnyNode]);
    return this.#wrap(this.#nodes.filter((_i, el) => !drop.has(el)));
  }

  /** is(selector | Selection | fn(index, selection) → truthy): whether any node matches; fn may block. */
  is(arg: unknown): boolean | Promise<boolean> {
    if (typeof arg === 'string') {
      try {
        return this.#nodes.is(arg);
      } catch {
        return false;
      }
    }
    if (arg instanceof Selection) {
      const other = new Set(arg.#nodes.toArray());
      return this.#nodes.toArray().some((n) => other.has(n));
    }
    if (!isFunction(arg)) throw new TypeError('the argument to is() must be a function, a selector or a selection');
    const found = this.#matching(arg, true);
    return found instanceof Selection ? found.size() > 0 : markBlocking(found.then((s) => s.size() > 0));
  }

  #matching(fn: (...args: unknown[]) => unknown, keepWhen: boolean): Selection | Promise<Selection> {
    const nodes = this.#nodes.toArray();
    const kept: AnyNode[] = [];
    return forEachCall(
      nodes.length,
      (i) => fn(i, this.#one(i)),
      (i, r) => {
        if (Boolean(r) === keepWhen) kept.push(nodes[i] as AnyNode);
      },
      () => this.#wrap(this.#doc.$(kept)),
    );
  }

  // --- iteration -------------------------------------------------------------------------------

  /**
   * Calls fn(index, element) for every node; returns this selection (or a blocking promise of it).
   * As k6's Selection.Each, an exception of fn stops the loop as a GoError `the function passed to
   * each() failed: <exception>` (an interrupt still stops the VU as it is).
   */
  each(fn: unknown): Selection | Promise<Selection> {
    if (!isFunction(fn)) throw new TypeError('the argument to each() must be a function');
    const nodes = this.#nodes.toArray();
    return forEachCall(
      nodes.length,
      (i) => callWrappingErrors(() => {
        const el = this.#doc.element(nodes[i]);
        return fn.call(el, i, el);
      }, eachFailed),
      () => undefined,
      () => this,
    );
  }

  /**
   * The values fn(index, selection) returned, one per node, as an array. As k6's Selection.Map, a
   * node whose callback throws is left out and the error dropped (an interrupt still stops the VU).
   */
  map(fn: unknown): unknown[] | Promise<unknown[]> {
    if (!isFunction(fn)) throw new TypeError('the argument to map() must be a function');
    const out: unknown[] = [];
    return forEachCall(
      this.#nodes.length,
      (i) => callSkippingErrors(() => fn(i, this.#one(i))),
      (_i, r) => {
        if (r !== SKIPPED) out.push(r);
      },
      () => out,
    );
  }

  size(): number {
    return this.#nodes.length;
  }

  /** Every node as an Element, or the one at `index` (negative counts from the end). */
  get(index?: unknown): Element[] | Element | undefined {
    const nodes = this.#nodes.toArray();
    if (index === undefined) return nodes.map((n) => this.#doc.element(n) as Element);
    const i = Math.trunc(Number(index));
    if (!(i < nodes.length && i > -nodes.length)) return undefined;
    return this.#doc.element(nodes[i < 0 ? nodes.length + i : i]);
  }

  /** One single-node Selection per node. */
  toArray(): Selection[] {
    const out: Selection[] = [];
    for (let i = 0; i < this.#nodes.length; i++) out.push(this.#one(i));
    return out;
  }

  /**
   * No argument: position of the first node among its element siblings. A selector: position of the
   * first node among the document's matches. A Selection or Element: its (first) node's position in
   * this selection. -1 when absent.
   */
  index(arg?: unknown): number {
    const first = this.#nodes[0];
    if (arg === undefined) {
      if (first === undefined) return -1;
      return this.#doc.$(first).prevAll().length;
    }
    if (typeof arg === 'string') {
      if (first === undefined) return -1;
      try {
        return this.#doc.$(arg).toArray().indexOf(first);
      } catch {
        return -1;
      }
    }
    const needle = arg instanceof Selection ? arg.#nodes[0] : arg instanceof Element ? arg[NODE] : undefined;
    return needle === undefined ? -1 : this.#nodes.toArray().indexOf(needle);
  }

  // --- content ---------------------------------------------------------------------------------

  text(): string {
    return textOf(this.#nodes.toArray());
  }

  html(): string {
    return innerHtml(this.#doc.$, this.#nodes[0]);
  }

  /** The first node's attribute as written; `def` (or undefined) when it is missing. */
  attr(name: unknown, def?: unknown): unknown {
    const v = attrOf(this.#nodes[0], String(name));
    return v === undefined ? def : v;
  }

  data(key?: unknown): unknown {
    const first = this.#nodes[0];
    return readData(isElement(first) ? first : undefined, key);
  }

  val(): string | string[] | undefined {
    return controlValue(this.#doc.$, this.#nodes.toArray());
  }

  serialize(): string {
    return serializeForm(this.#doc.$, this.#nodes.toArray());
  }

  serializeArray(): FormValue[] {
    return serializeArray(this.#doc.$, this.#nodes.toArray());
  }

  serializeObject(): Record<string, string | string[] | undefined> {
    return serializeObject(this.#doc.$, this.#nodes.toArray());
  }
}

// k6/html's Element: one node, with the DOM-like members k6 exposes. As in k6 they are methods, not
// properties (`el.nodeName()`, `el.textContent()`), because k6 maps Go methods onto the object. The
// typed elements (AnchorElement, InputElement, …) extend this class in typed-elements.ts.
import type { AnyNode, Element as DomElement } from 'domhandler';
import {
  attrOf, attrPrefix, isAncestor, isElement, isHtmlNamespace, namespaceOf, nodeNameOf, nodeTypeOf, prefixNamespace, textOf,
} from './dom-nodes.ts';
import { innerHtml } from './form-values.ts';
import type { HtmlDocument } from './html-document.ts';
import type { Selection } from './selection.ts';

/** What attributes()/getAttributeNode() return, shaped like k6's (snake_case owner_element). */
export class Attribute {
  readonly owner_element: Element;
  readonly name: string;
  readonly value: string;
  readonly #prefix: string;

  constructor(owner: Element, name: string, value: string, prefix: string) {
    this.owner_element = owner;
    this.name = name;
    this.value = value;
    this.#prefix = prefix;
  }

  prefix(): string {
    return this.#prefix;
  }

  namespaceURI(): string {
    return prefixNamespace(this.#prefix);
  }

  localName(): string {
    return this.name;
  }
}

// Symbol keys keep the document and node out of scripts' sight (JSON.stringify(el) is {}, not a
// circular-structure error).
export const DOC: unique symbol = Symbol('html.document');
export const NODE: unique symbol = Symbol('html.node');

export class Element {
  readonly [DOC]: HtmlDocument;
  readonly [NODE]: AnyNode;

  constructor(doc: HtmlDocument, node: AnyNode) {
    this[DOC] = doc;
    this[NODE] = node;
  }

  protected attr(name: string): string | undefined {
    return attrOf(this[NODE], name);
  }

  /** The attribute, or "" when missing (k6's attrAsString). */
  protected attrString(name: string): string {
    return attrOf(this[NODE], name) ?? '';
  }

  protected toElements(nodes: readonly AnyNode[]): Element[] {
    return nodes.map((n) => this[DOC].element(n) as Element);
  }

  protected query(selector: string): AnyNode[] {
    try {
      return this[DOC].$(this[NODE]).find(selector).toArray();
    } catch {
      return [];
    }
  }

  /** The document root's matches (k6's `Parents().Last().Find(…)`). */
  protected queryDocument(selector: string): AnyNode[] {
    try {
      return this[DOC].$.root().find(selector).toArray();
    } catch {
      return [];
    }
  }

  selection(): Selection {
    return this[DOC].select([this[NODE]]);
  }

  nodeName(): string {
    return nodeNameOf(this[NODE]);
  }

  nodeType(): number | undefined {
    return nodeTypeOf(this[NODE]);
  }

  nodeValue(): string | undefined {
    const type = this[NODE].nodeType;
    return type === 3 || type === 8 ? (this[NODE] as { data: string }).data : undefined;
  }

  id(): string {
    return this.attrString('id');
  }

  textContent(): string {
    return textOf([this[NODE]]);
  }

  innerHTML(): string {
    return innerHtml(this[DOC].$, this[NODE]);
  }

  ownerDocument(): Element | undefined {
    let n: AnyNode | null = this[NODE];
    while (n !== null && n.nodeType !== 9) n = n.parent;
    return this[DOC].element(n);
  }

  attributes(): Record<string, Attribute> {
    const out: Record<string, Attribute> = {};
    if (!isElement(this[NODE])) return out;
    for (const [name, value] of Object.entries(this[NODE].attribs)) out[name] = new Attribute(this, name, value, attrPrefix(this[NODE], name));
    return out;
  }

  getAttribute(name: unknown): string | undefined {
    return this.attr(String(name));
  }

  getAttributeNode(name: unknown): Attribute | undefined {
    const key = String(name);
    const value = this.attr(key);
    return value === undefined ? undefined : new Attribute(this, key, value, attrPrefix(this[NODE] as DomElement, key));
  }

  hasAttribute(name: unknown): boolean {
    return this.attr(String(name)) !== undefined;
  }

  hasAttributes(): boolean {
    return isElement(this[NODE]) && Object.keys(this[NODE].attribs).length > 0;
  }

  hasChildNodes(): boolean {
    return this.#children().length > 0;
  }

  #children(): AnyNode[] {
    return (this[NODE] as { children?: AnyNode[] }).children ?? [];
  }

  firstChild(): Element | undefined {
    return this[DOC].element(this.#children()[0]);
  }

  lastChild(): Element | undefined {
    return this[DOC].element(this.#children().at(-1));
  }

  firstElementChild(): Element | undefined {
    return this[DOC].element(this.#children().find(isElement));
  }

  lastElementChild(): Element | undefined {
    return this[DOC].element(this.#children().findLast(isElement));
  }

  previousSibling(): Element | undefined {
    return this[DOC].element(this[NODE].prev);
  }

  nextSibling(): Element | undefined {
    return this[DOC].element(this[NODE].next);
  }

  previousElementSibling(): Element | undefined {
    let n = this[NODE].prev;
    while (n !== null && !isElement(n)) n = n.prev;
    return this[DOC].element(n);
  }

  nextElementSibling(): Element | undefined {
    let n = this[NODE].next;
    while (n !== null && !isElement(n)) n = n.next;
    return this[DOC].element(n);
  }

  parentNode(): Element | undefined {
    return this[DOC].element(this[NODE].parent);
  }

  /** The parent when it is an element (so `html`'s is undefined). */
  parentElement(): Element | undefined {
    const p = this[NODE].parent;
    return isElement(p) ? this[DOC].element(p) : undefined;
  }

  childNodes(): Element[] {
    return this.toElements(this.#children());
  }

  children(): Element[] {
    return this.toElements(this.#children().filter(isElement));
  }

  childElementCount(): number {
    return this.#children().filter(isElement).length;
  }

  classList(): string[] {
    const cls = this.attr('class');
    return cls === undefined ? [] : cls.split(/\s+/).filter((c) => c !== '');
  }

  className(): string | undefined {
    return this.attr('class');
  }

  lang(): string | undefined {
    return isElement(this[NODE]) && attrPrefix(this[NODE], 'lang') === '' ? this.attr('lang') : undefined;
  }

  namespaceURI(): string {
    return namespaceOf(this[NODE]);
  }

  isDefaultNamespace(): boolean {
    return isHtmlNamespace(this[NODE]);
  }

  isEqualNode(other: unknown): boolean {
    return other instanceof Element && this[DOC].$.html(this[NODE]) === other[DOC].$.html(other[NODE]);
  }

  isSameNode(other: unknown): boolean {
    return other instanceof Element && other[NODE] === this[NODE];
  }

  /** Whether `other` is a descendant (not the node itself, as in the DOM). */
  contains(other: unknown): boolean {
    return other instanceof Element && isAncestor(this[NODE], other[NODE]);
  }

  matches(selector: unknown): boolean {
    try {
      return this[DOC].$(this[NODE]).is(String(selector));
    } catch {
      return false;
    }
  }

  getElementsByClassName(name: unknown): Element[] {
    return this.toElements(this.query(`.${String(name)}`));
  }

  getElementsByTagName(name: unknown): Element[] {
    return this.toElements(this.query(String(name)));
  }

  querySelector(selector: unknown): Element | undefined {
    return this[DOC].element(this.query(String(selector))[0]);
  }

  querySelectorAll(selector: unknown): Element[] {
    return this.toElements(this.query(String(selector)));
  }

  toString(): string {
    return isElement(this[NODE]) ? '[object html.Node]' : `[object ${this.nodeName()}]`;
  }
}

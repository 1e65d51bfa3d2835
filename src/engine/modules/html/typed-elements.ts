// The typed elements k6 hands out for known tags (k6's elements.go): <a> is an AnchorElement with
// href(), hostname(), …; <input> an InputElement with value(), checked(), form(), …. Members that only
// read one attribute are declared in element-attributes.ts and installed on these prototypes once,
// when this module loads.
import type { AnyNode, Element as DomElement } from 'domhandler';
import { attrOf, isElement } from './dom-nodes.ts';
import { DOC, Element, NODE } from './element.ts';
import { installAttributeAccessors } from './element-attributes.ts';
import { valueOrHtml } from './form-values.ts';
import type { HtmlDocument } from './html-document.ts';
import { urlAttribute, urlParts, type UrlParts } from './url-parts.ts';

const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443', ftp: '21' };

function splitAttr(value: string | undefined): string[] {
  return value === undefined || value === '' ? [] : value.split(' ');
}

/** Helpers every typed element shares (k6's Element methods that are not exposed to scripts). */
class TypedElement extends Element {
  protected $one(nodes: readonly AnyNode[]): Element | undefined {
    return this[DOC].element(nodes[0]);
  }

  protected closestOf(selector: string): AnyNode | undefined {
    return this[DOC].$(this[NODE]).closest(selector).toArray()[0];
  }

  protected ancestorsMatching(selector: string): AnyNode[] {
    return this[DOC].$(this[NODE]).parents(selector).toArray();
  }

  /** The enclosing form, else the one named by the form="id" attribute. */
  protected ownerForm(): AnyNode | undefined {
    const closest = this.closestOf('form');
    if (closest !== undefined) return closest;
    const id = attrOf(this[NODE], 'form') ?? '';
    if (id === '') return undefined;
    return this.queryDocument(`[id="${cssString(id)}"]`)[0];
  }

  protected formElement(): Element | undefined {
    return this[DOC].element(this.ownerForm());
  }

  /** The wrapping label and the labels whose for= names this element's id. */
  protected labelElements(): Element[] {
    const wrapper = this.closestOf('label');
    const out: AnyNode[] = wrapper === undefined ? [] : [wrapper];
    const id = attrOf(this[NODE], 'id') ?? '';
    if (id !== '') {
      for (const label of this.queryDocument(`label[for="${cssString(id)}"]`)) if (!out.includes(label)) out.push(label);
    }
    return this.toElements(out);
  }

  protected intAttr(name: string, def: number): number {
    const v = attrOf(this[NODE], name);
    return v !== undefined && /^[+-]?\d+$/.test(v) ? Number(v) : def;
  }
}

function cssString(s: string): string {
  return s.replace(/["\\]/g, '\\$&');
}

class HrefElement extends TypedElement {
  #url(): UrlParts {
    return urlParts(this[DOC].url, attrOf(this[NODE], 'href'));
  }

  hash(): string {
    const f = this.#url().fragment;
    return f === '' ? '' : `#${f}`;
  }

  /** host[:port], without the scheme's default port. */
  host(): string {
    const u = this.#url();
    return u.port !== '' && DEFAULT_PORTS[u.scheme] === u.port ? u.hostname : u.host;
  }

  hostname(): string {
    return this.#url().hostname;
  }

  port(): string {
    return this.#url().port;
  }

  username(): string {
    return this.#url().username;
  }

  password(): string {
    return this.#url().password;
  }

  origin(): string {
    const u = this.#url();
    if (u.scheme === '') return '';
    return u.scheme === 'file' ? urlAttribute(this[DOC].url, attrOf(this[NODE], 'href'), '') : `${u.scheme}://${u.host}`;
  }

  pathname(): string {
    return this.#url().path;
  }

  /** The scheme without ":" (k6), or ":" when there is none. */
  protocol(): string {
    return this.#url().scheme || ':';
  }

  relList(): string[] {
    return splitAttr(attrOf(this[NODE], 'rel'));
  }

  search(): string {
    const q = this.#url().rawQuery;
    return q === '' ? '' : `?${q}`;
  }

  text(): string {
    return this.textContent();
  }
}

class MediaElement extends TypedElement {
  textTracks(): Element[] {
    return this.toElements(this.query('track'));
  }
}

class FormFieldElement extends TypedElement {
  form(): Element | undefined {
    return this.formElement();
  }

  /** form<attr> on the element, else <attr> on its form. */
  #formOrOwn(attr: string): string | undefined {
    const own = attrOf(this[NODE], `form${attr}`);
    if (own !== undefined) return own;
    return attrOf(this.ownerForm(), attr);
  }

  formAction(): string {
    const action = this.#formOrOwn('action');
    const base = this[DOC].url;
    if (base === '') return action ?? '';
    if (action === undefined || action === '') return base;
    return urlAttribute(base, action, action);
  }

  formEnctype(): string {
    const e = this.#formOrOwn('enctype');
    return e === 'multipart/form-data' || e === 'text/plain' ? e : 'application/x-www-form-urlencoded';
  }

  formMethod(): string {
    return (this.#formOrOwn('method') ?? '').toLowerCase() === 'post' ? 'post' : 'get';
  }

  formNoValidate(): boolean {
    return this.#formOrOwn('novalidate') !== undefined;
  }

  formTarget(): string {
    return this.#formOrOwn('target') ?? '';
  }

  labels(): Element[] {
    return this.labelElements();
  }

  name(): string {
    return this.attrString('name');
  }
}

class ButtonElement extends FormFieldElement {
  value(): string {
    return valueOrHtml(this[DOC].$, this[NODE]);
  }
}

class InputElement extends FormFieldElement {
  /** The <datalist> named by list=, for the input types that can have one. */
  list(): Element | undefined {
    const id = this.attrString('list');
    if (id === '' || ['hidden', 'checkbox', 'radio', 'file', 'button'].includes(this.attrString('type'))) return undefined;
    return this.$one(this.queryDocument(`datalist[id="${cssString(id)}"]`));
  }
}

class CanvasElement extends TypedElement {
  width(): number {
    return this.intAttr('width', 150);
  }

  height(): number {
    return this.intAttr('height', 150);
  }
}

class DataListElement extends TypedElement {
  options(): Element[] {
    return this.toElements(this.query('option'));
  }
}

class FieldSetElement extends TypedElement {
  form(): Element | undefined {
    return this.formElement();
  }

  type(): string {
    return 'fieldset';
  }

  elements(): Element[] {
    return this.toElements(this.query('input,select,button,textarea'));
  }

  validity(): undefined {
    return undefined;
  }
}

const FORM_CONTROLS = 'input,select,button,textarea,fieldset';

class FormElement extends TypedElement {
  elements(): Element[] {
    return this.toElements(this.query(FORM_CONTROLS));
  }

  length(): number {
    return this.query(FORM_CONTROLS).length;
  }

  /** "post" only when written exactly so (k6), else "get". */
  method(): string {
    return this.attrString('method') === 'post' ? 'post' : 'get';
  }
}

class FormOwnedElement extends TypedElement {
  form(): Element | undefined {
    return this.formElement();
  }
}

class LabelledFormOwnedElement extends FormOwnedElement {
  labels(): Element[] {
    return this.labelElements();
  }
}

class LabelElement extends FormOwnedElement {
  /** The element its for= attribute names. */
  control(): Element | undefined {
    const id = this.attr('for');
    if (id === undefined) return undefined;
    return this.$one(this.queryDocument(`[id="${cssString(id)}"]`));
  }
}

class LinkElement extends TypedElement {
  relList(): string[] {
    return splitAttr(this.attr('rel'));
  }
}

class MapElement extends TypedElement {
  areas(): Element[] {
    return this.toElements(this.query('area'));
  }

  /** Images and objects whose usemap points at this map (by id; k6 never falls back to name). */
  images(): Element[] {
    const name = this.attr('id');
    if (name === undefined) return [];
    const ref = cssString(`#${name}`);
    return this.toElements(this.queryDocument(`img[usemap="${ref}"],object[usemap="${ref}"]`));
  }
}

class MeterElement extends TypedElement {
  labels(): Element[] {
    return this.labelElements();
  }
}

class OptionElement extends TypedElement {
  disabled(): boolean {
    if (this.attr('disabled') !== undefined) return true;
    const group = this.ancestorsMatching('optgroup')[0];
    return group !== undefined && attrOf(group, 'disabled') !== undefined;
  }

  form(): Element | undefined {
    const form = this.ancestorsMatching('form')[0];
    if (form !== undefined) return this[DOC].element(form);
    const id = attrOf(this.ancestorsMatching('select')[0], 'form');
    if (id === undefined) return undefined;
    return this.$one(this.queryDocument(`form[id="${cssString(id)}"]`));
  }

  index(): number {
    const holder = this.ancestorsMatching('select,datalist')[0];
    if (holder === undefined) return 0;
    return this[DOC].$(holder).find('option').toArray().indexOf(this[NODE] as DomElement);
  }

  label(): string {
    return this.attr('label') ?? this.textContent();
  }

  text(): string {
    return this.textContent();
  }

  value(): string {
    return valueOrHtml(this[DOC].$, this[NODE]);
  }
}

class OutputElement extends LabelledFormOwnedElement {
  value(): string {
    return this.textContent();
  }

  defaultValue(): string {
    return this.textContent();
  }
}

class ProgressElement extends TypedElement {
  #number(name: string): number | undefined {
    const v = this.attr(name);
    if (v === undefined || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim())) return undefined;
    const n = Number(v);
    return n >= 0 ? n : undefined;
  }

  max(): number {
    return this.#number('max') ?? 1;
  }

  value(): number {
    const v = this.#number('value');
    return v === undefined ? 0 : v / this.max();
  }

  position(): number {
    const v = this.#number('value');
    return v === undefined ? -1 : v / this.max();
  }

  labels(): Element[] {
    return this.labelElements();
  }
}

class TextElement extends TypedElement {
  text(): string {
    return this.textContent();
  }
}

class SelectElement extends LabelledFormOwnedElement {
  #options(): AnyNode[] {
    return this.query('option');
  }

  #selected(): AnyNode[] {
    return this.query('option[selected]');
  }

  length(): number {
    return this.#options().length;
  }

  options(): Element[] {
    return this.toElements(this.#options());
  }

  selectedIndex(): number {
    const first = this.#selected()[0];
    return first === undefined ? -1 : this.#options().indexOf(first);
  }

  selectedOptions(): Element[] {
    return this.toElements(this.#selected());
  }

  size(): number {
    return this.attr('multiple') !== undefined ? 4 : 1;
  }

  type(): string {
    return this.attr('multiple') !== undefined ? 'select-multiple' : 'select';
  }

  value(): string {
    const first = this.#selected()[0];
    return first === undefined ? '' : valueOrHtml(this[DOC].$, first);
  }
}

class StyleElement extends TypedElement {
  type(): string {
    return this.attrString('type') || 'text/css';
  }
}

class TableElement extends TypedElement {
  #child(name: string): Element | undefined {
    return this.$one(this[DOC].$(this[NODE]).children(name).toArray());
  }

  caption(): Element | undefined {
    return this.#child('caption');
  }

  tHead(): Element | undefined {
    return this.#child('thead');
  }

  tFoot(): Element | undefined {
    return this.#child('tfoot');
  }

  rows(): Element[] {
    return this.toElements(this.query('tr'));
  }

  tBodies(): Element[] {
    return this.toElements(this.query('tbody'));
  }
}

class TableSectionElement extends TypedElement {
  rows(): Element[] {
    return this.toElements(this.query('tr'));
  }
}

class TableCellElement extends TypedElement {
  cellIndex(): number {
    const row = this.ancestorsMatching('tr')[0];
    return row === undefined ? -1 : this[DOC].$(row).find('th,td').toArray().indexOf(this[NODE] as DomElement);
  }
}

class TableRowElement extends TypedElement {
  cells(): Element[] {
    return this.toElements(this.query('th,td'));
  }

  rowIndex(): number {
    const table = this.ancestorsMatching('table')[0];
    return table === undefined ? -1 : this[DOC].$(table).find('tr').toArray().indexOf(this[NODE] as DomElement);
  }

  sectionRowIndex(): number {
    const section = this.ancestorsMatching('thead,tbody,tfoot')[0];
    return section === undefined ? -1 : this[DOC].$(section).find('tr').toArray().indexOf(this[NODE] as DomElement);
  }
}

class TextAreaElement extends LabelledFormOwnedElement {
  /** k6 measures the value attribute (which a textarea rarely has), not the text. */
  length(): number {
    return this.attrString('value').length;
  }
}

class TableColElement extends TypedElement {
  span(): number {
    return Math.max(1, this.intAttr('span', 1));
  }
}

type ElementClass = new (doc: HtmlDocument, node: AnyNode) => Element;
const plain = (): ElementClass => class extends TypedElement {};

/** Tag → class. Each class is its tag's own, so the attribute accessors installed below stay per tag. */
const CLASSES: Readonly<Record<string, ElementClass>> = {
  a: class AnchorElement extends HrefElement {},
  area: class AreaElement extends HrefElement {},
  audio: class AudioElement extends MediaElement {},
  video: class VideoElement extends MediaElement {},
  base: plain(),
  button: ButtonElement,
  canvas: CanvasElement,
  data: plain(),
  datalist: DataListElement,
  del: plain(),
  ins: plain(),
  embed: plain(),
  fieldset: FieldSetElement,
  form: FormElement,
  iframe: plain(),
  img: plain(),
  input: InputElement,
  keygen: LabelledFormOwnedElement,
  label: LabelElement,
  legend: class LegendElement extends FormOwnedElement {},
  li: plain(),
  link: LinkElement,
  map: MapElement,
  meta: plain(),
  meter: MeterElement,
  object: class ObjectElement extends FormOwnedElement {},
  ol: plain(),
  optgroup: plain(),
  option: OptionElement,
  output: OutputElement,
  param: plain(),
  pre: plain(),
  progress: ProgressElement,
  q: plain(),
  blockquote: plain(),
  script: class ScriptElement extends TextElement {},
  select: SelectElement,
  source: plain(),
  style: StyleElement,
  table: TableElement,
  thead: class TableHeadElement extends TableSectionElement {},
  tfoot: class TableFootElement extends TableSectionElement {},
  tbody: class TableBodyElement extends TableSectionElement {},
  tr: TableRowElement,
  col: TableColElement,
  td: class TableDataCellElement extends TableCellElement {},
  th: class TableHeaderCellElement extends TableCellElement {},
  textarea: TextAreaElement,
  time: plain(),
  title: class TitleElement extends TextElement {},
  track: plain(),
  ul: plain(),
};

installAttributeAccessors(CLASSES);

export function createElement(doc: HtmlDocument, node: AnyNode): Element {
  const cls = isElement(node) ? CLASSES[node.name] : undefined;
  return cls === undefined ? new Element(doc, node) : new cls(doc, node);
}

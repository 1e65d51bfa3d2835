// The typed elements k6 hands out for known tags (k6's elements.go): <a> is an AnchorElement with
// href(), hostname(), …; <input> an InputElement with value(), checked(), form(), …. Members that only
// read one attribute are declared in element-attributes.ts and installed on these prototypes once,
// when this module loads.
import type { AnyNode, Element as DomElement } from 'domhandler';
import { attrOf, isElement } from './dom-nodes.ts';
import { DOC, Element, NODE } from './element.ts';
import { installAttributeAccessors } from './element-attributes.ts';
import {
  ButtonElement, FieldSetElement, FormElement, FormOwnedElement, InputElement, LabelElement, LabelledFormOwnedElement,
  MeterElement, OptionElement, OutputElement, ProgressElement, SelectElement, TextAreaElement,
} from './form-elements.ts';
import type { HtmlDocument } from './html-document.ts';
import { TypedElement, cssString, splitAttr } from './typed-element.ts';
import { urlAttribute, urlParts, type UrlParts } from './url-parts.ts';

const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443', ftp: '21' };

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

class TextElement extends TypedElement {
  text(): string {
    return this.textContent();
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
  quote: plain(),
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

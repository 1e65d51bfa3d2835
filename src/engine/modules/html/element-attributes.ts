// Typed-element members that read a single attribute (k6 generates them from a table in
// js/modules/k6/html/gen; this is the same idea, with the HTML spec's reflection rules):
//   s  string, "" when missing          b  boolean, true when present (any value)
//   i  integer, a default when missing or not an integer
//   u  URL, resolved against the document URL (raw without one), "" when missing
//   U  the same, but the document URL when missing (<base href>)
//   e  one of the allowed values, else the first one      n  one of the allowed values, else undefined
//   c  a constant
import type { AnyNode } from 'domhandler';
import { attrOf } from './dom-nodes.ts';
import { DOC, NODE, type Element } from './element.ts';
import type { HtmlDocument } from './html-document.ts';
import { urlAttribute } from './url-parts.ts';

type Accessor =
  | readonly [method: string, kind: 's' | 'b' | 'u' | 'U', attr?: string]
  | readonly [method: string, kind: 'i', attr: string, def: number]
  | readonly [method: string, kind: 'e' | 'n', attr: string, allowed: readonly string[]]
  | readonly [method: string, kind: 'c', value: string];

const REFERRER = ['', 'no-referrer', 'no-referrer-when-downgrade', 'origin', 'origin-when-cross-origin', 'unsafe-url'];
const CROSS_ORIGIN = ['anonymous', 'use-credentials'];
const AUTOCOMPLETE = ['on', 'off'];
const ENCTYPE = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const INPUT_TYPES = [
  'text', 'button', 'checkbox', 'color', 'date', 'datetime-local', 'email', 'file', 'hidden', 'image', 'month', 'number',
  'password', 'radio', 'range', 'reset', 'search', 'submit', 'tel', 'time', 'url', 'week',
];

const HREF: readonly Accessor[] = [
  ['download', 's'], ['referrerPolicy', 'e', 'referrerpolicy', REFERRER], ['rel', 's'], ['href', 'u'], ['target', 's'],
  ['type', 's'], ['accessKey', 's', 'accesskey'], ['hrefLang', 's', 'hreflang'], ['toString', 'u', 'href'],
];
const MEDIA: readonly Accessor[] = [
  ['autoplay', 'b'], ['controls', 'b'], ['loop', 'b'], ['muted', 'b'], ['preload', 'e', 'preload', ['auto', 'metadata', 'none']],
  ['src', 'u'], ['crossOrigin', 'n', 'crossorigin', CROSS_ORIGIN], ['currentSrc', 's', 'src'], ['defaultMuted', 'b', 'muted'],
  ['mediaGroup', 's', 'mediagroup'],
];
const MOD: readonly Accessor[] = [['cite', 's'], ['datetime', 's']];
const CELL: readonly Accessor[] = [['colSpan', 'i', 'colspan', 1], ['rowSpan', 'i', 'rowspan', 1], ['headers', 's']];

const BY_TAG: Readonly<Record<string, readonly Accessor[]>> = {
  a: HREF,
  area: HREF,
  audio: MEDIA,
  video: MEDIA,
  base: [['href', 'U'], ['target', 's']],
  button: [
    ['accessKey', 's', 'accesskey'], ['autofocus', 'b'], ['disabled', 'b'], ['tabIndex', 'i', 'tabindex', 0],
    ['type', 'e', 'type', ['submit', 'button', 'menu', 'reset']],
  ],
  data: [['value', 's']],
  embed: [['height', 's'], ['width', 's'], ['src', 's'], ['type', 's']],
  fieldset: [['disabled', 'b'], ['name', 's']],
  form: [
    ['action', 'u'], ['name', 's'], ['target', 's'], ['enctype', 'e', 'enctype', ENCTYPE], ['encoding', 'e', 'enctype', ENCTYPE],
    ['acceptCharset', 's', 'accept-charset'], ['autocomplete', 'e', 'autocomplete', AUTOCOMPLETE], ['noValidate', 'b', 'novalidate'],
  ],
  iframe: [
    ['allowfullscreen', 'b'], ['referrerPolicy', 'e', 'referrerpolicy', REFERRER], ['height', 's'], ['width', 's'], ['name', 's'],
    ['src', 'u'],
  ],
  img: [
    ['currentSrc', 'u', 'src'], ['sizes', 's'], ['srcset', 's'], ['alt', 's'], ['crossOrigin', 'n', 'crossorigin', CROSS_ORIGIN],
    ['height', 'i', 'height', 0], ['width', 'i', 'width', 0], ['isMap', 'b', 'ismap'], ['name', 's'], ['src', 'u'],
    ['useMap', 's', 'usemap'], ['referrerPolicy', 'e', 'referrerpolicy', REFERRER],
  ],
  input: [
    ['name', 's'], ['tabIndex', 'i', 'tabindex', 0], ['type', 'e', 'type', INPUT_TYPES], ['disabled', 'b'], ['autofocus', 'b'],
    ['required', 'b'], ['value', 's'], ['checked', 'b'], ['defaultChecked', 'b', 'checked'], ['alt', 's'], ['src', 'u'],
    ['height', 's'], ['width', 's'], ['accept', 's'], ['autocomplete', 'e', 'autocomplete', AUTOCOMPLETE],
    ['maxLength', 'i', 'maxlength', -1], ['size', 'i', 'size', 0], ['pattern', 's'], ['placeholder', 's'], ['readonly', 'b'],
    ['min', 's'], ['max', 's'], ['defaultValue', 's', 'value'], ['dirName', 's', 'dirname'], ['accessKey', 's', 'accesskey'],
    ['multiple', 'b'], ['step', 's'],
  ],
  keygen: [
    ['autofocus', 'b'], ['challenge', 's'], ['disabled', 'b'], ['keytype', 'e', 'keytype', ['RSA', 'DSA', 'EC']], ['name', 's'],
    ['type', 'c', 'keygen'],
  ],
  label: [['htmlFor', 's', 'for']],
  legend: [['accessKey', 's', 'accesskey']],
  li: [['value', 'i', 'value', 0], ['type', 'e', 'type', ['', '1', 'a', 'A', 'i', 'I', 'disc', 'square', 'circle']]],
  link: [
    ['crossOrigin', 'n', 'crossorigin', CROSS_ORIGIN], ['referrerPolicy', 'e', 'referrerpolicy', REFERRER], ['href', 'u'],
    ['hreflang', 's'], ['media', 's'], ['rel', 's'], ['target', 's'], ['type', 's'],
  ],
  map: [['name', 's']],
  meta: [['content', 's'], ['name', 's'], ['httpEquiv', 'e', 'http-equiv', ['content-type', 'default-style', 'refresh']]],
  meter: [['min', 'i', 'min', 0], ['max', 'i', 'max', 0], ['high', 'i', 'high', 0], ['low', 'i', 'low', 0], ['optimum', 'i', 'optimum', 0]],
  del: MOD,
  ins: MOD,
  object: [
    ['data', 'u'], ['height', 's'], ['name', 's'], ['type', 's'], ['tabIndex', 'i', 'tabindex', 0], ['typeMustMatch', 'b', 'typemustmatch'],
    ['useMap', 's', 'usemap'], ['width', 's'],
  ],
  ol: [['reversed', 'b'], ['start', 'i', 'start', 0], ['type', 'e', 'type', ['1', 'a', 'A', 'i', 'I']]],
  optgroup: [['disabled', 'b'], ['label', 's']],
  option: [['defaultSelected', 'b', 'selected'], ['selected', 'b']],
  output: [['htmlFor', 's', 'for'], ['name', 's'], ['type', 'c', 'output']],
  param: [['name', 's'], ['value', 's']],
  pre: [['name', 's'], ['value', 's']],
  quote: [['cite', 's']],
  q: [['cite', 's']],
  blockquote: [['cite', 's']],
  script: [
    ['crossOrigin', 's', 'crossorigin'], ['type', 's'], ['src', 'u'], ['charset', 's'], ['async', 'b'], ['defer', 'b'],
    ['noModule', 'b', 'nomodule'],
  ],
  select: [['autofocus', 'b'], ['disabled', 'b'], ['multiple', 'b'], ['name', 's'], ['required', 'b'], ['tabIndex', 'i', 'tabindex', 0]],
  source: [['keySystem', 's', 'keysystem'], ['media', 's'], ['sizes', 's'], ['src', 'u'], ['srcset', 's'], ['type', 's']],
  style: [['media', 's']],
  table: [['sortable', 'b']],
  td: CELL,
  th: [...CELL, ['abbr', 's'], ['scope', 'e', 'scope', ['', 'row', 'col', 'colgroup', 'rowgroup']], ['sorted', 'b']],
  textarea: [
    ['type', 'c', 'textarea'], ['value', 's'], ['defaultValue', 's', 'value'], ['placeholder', 's'], ['rows', 'i', 'rows', 0],
    ['cols', 'i', 'cols', 0], ['maxLength', 'i', 'maxlength', 0], ['tabIndex', 'i', 'tabindex', 0], ['accessKey', 's', 'accesskey'],
    ['readOnly', 'b', 'readonly'], ['required', 'b'], ['autocomplete', 'e', 'autocomplete', AUTOCOMPLETE],
    ['autocapitalize', 'e', 'autocapitalize', ['sentences', 'none', 'off', 'characters', 'words']],
    ['wrap', 'e', 'wrap', ['soft', 'hard', 'off']],
  ],
  time: [['datetime', 's']],
  track: [
    ['kind', 'e', 'kind', ['subtitle', 'captions', 'descriptions', 'chapters', 'metadata']], ['src', 'u'], ['srclang', 's'],
    ['label', 's'], ['default', 'b'],
  ],
  ul: [['type', 's']],
};

type Holder = { readonly [DOC]: HtmlDocument; readonly [NODE]: AnyNode };

function reader(a: Accessor): (this: Holder) => unknown {
  const [, kind] = a;
  if (kind === 'c') {
    const value = a[2];
    return () => value;
  }
  const attr = a[2] ?? a[0];
  switch (kind) {
    case 's':
      return function (this: Holder) {
        return attrOf(this[NODE], attr) ?? '';
      };
    case 'b':
      return function (this: Holder) {
        return attrOf(this[NODE], attr) !== undefined;
      };
    case 'u':
    case 'U':
      return function (this: Holder) {
        return urlAttribute(this[DOC].url, attrOf(this[NODE], attr), kind === 'U' ? this[DOC].url : '');
      };
    case 'i': {
      const def = a[3] as number;
      return function (this: Holder) {
        const v = attrOf(this[NODE], attr);
        return v !== undefined && /^[+-]?\d+$/.test(v) ? Number(v) : def;
      };
    }
    case 'e':
    case 'n': {
      const allowed = a[3] as readonly string[];
      const fallback = kind === 'e' ? allowed[0] : undefined;
      return function (this: Holder) {
        const v = attrOf(this[NODE], attr);
        return v !== undefined && allowed.includes(v) ? v : fallback;
      };
    }
  }
}

/** Defines each tag's accessors as non-enumerable methods on its class's prototype (like class methods). */
export function installAttributeAccessors(classes: Readonly<Record<string, new (...args: never[]) => Element>>): void {
  for (const [tag, accessors] of Object.entries(BY_TAG)) {
    const cls = classes[tag];
    if (cls === undefined) throw new Error(`k6/html: no element class for <${tag}>`);
    for (const a of accessors) {
      Object.defineProperty(cls.prototype, a[0], { value: reader(a), writable: true, configurable: true, enumerable: false });
    }
  }
}

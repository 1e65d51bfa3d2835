// Typed elements of forms: controls, their form, labels and options (k6's elements.go).
import type { AnyNode, Element as DomElement } from 'domhandler';
import { attrOf } from './dom-nodes.ts';
import { DOC, NODE, type Element } from './element.ts';
import { valueOrHtml } from './form-values.ts';
import { TypedElement, cssString } from './typed-element.ts';
import { urlAttribute } from './url-parts.ts';

export class FormFieldElement extends TypedElement {
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

export class ButtonElement extends FormFieldElement {
  value(): string {
    return valueOrHtml(this[DOC].$, this[NODE]);
  }
}

export class InputElement extends FormFieldElement {
  /** The <datalist> named by list=, for the input types that can have one. */
  list(): Element | undefined {
    const id = this.attrString('list');
    if (id === '' || ['hidden', 'checkbox', 'radio', 'file', 'button'].includes(this.attrString('type'))) return undefined;
    return this.$one(this.queryDocument(`datalist[id="${cssString(id)}"]`));
  }
}

export class FieldSetElement extends TypedElement {
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

export class FormElement extends TypedElement {
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

export class FormOwnedElement extends TypedElement {
  form(): Element | undefined {
    return this.formElement();
  }
}

export class LabelledFormOwnedElement extends FormOwnedElement {
  labels(): Element[] {
    return this.labelElements();
  }
}

export class LabelElement extends FormOwnedElement {
  /** The element its for= attribute names. */
  control(): Element | undefined {
    const id = this.attr('for');
    if (id === undefined) return undefined;
    return this.$one(this.queryDocument(`[id="${cssString(id)}"]`));
  }
}

export class MeterElement extends TypedElement {
  labels(): Element[] {
    return this.labelElements();
  }
}

export class OptionElement extends TypedElement {
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

export class OutputElement extends LabelledFormOwnedElement {
  value(): string {
    return this.textContent();
  }

  defaultValue(): string {
    return this.textContent();
  }
}

export class ProgressElement extends TypedElement {
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

export class SelectElement extends LabelledFormOwnedElement {
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

export class TextAreaElement extends LabelledFormOwnedElement {
  /** k6 measures the value attribute (which a textarea rarely has), not the text. */
  length(): number {
    return this.attrString('value').length;
  }
}

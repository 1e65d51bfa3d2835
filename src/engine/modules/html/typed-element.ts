// The base of k6/html's typed elements: helpers their members share (k6's unexported Element methods).
import type { AnyNode } from 'domhandler';
import { attrOf } from './dom-nodes.ts';
import { DOC, Element, NODE } from './element.ts';

export function splitAttr(value: string | undefined): string[] {
  return value === undefined || value === '' ? [] : value.split(' ');
}

/** Helpers every typed element shares (k6's Element methods that are not exposed to scripts). */
export class TypedElement extends Element {
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

export function cssString(s: string): string {
  return s.replace(/["\\]/g, '\\$&');
}

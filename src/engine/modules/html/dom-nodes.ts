// Reading the parsed tree (domhandler nodes, as cheerio builds them with parse5) the way k6's Go code
// reads golang.org/x/net/html nodes: names, kinds, raw attribute values and text.
import type { AnyNode, Element as DomElement } from 'domhandler';

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const COMMENT_NODE = 8;
export const DOCUMENT_NODE = 9;
export const DOCTYPE_NODE = 10;

const HTML_NS = 'http://www.w3.org/1999/xhtml';

export function isElement(node: AnyNode | null | undefined): node is DomElement {
  return node != null && node.nodeType === 1 && 'attribs' in node;
}

/** The DOM node type; a doctype (a domhandler "directive") is 10, as in the DOM and in k6. */
export function nodeTypeOf(node: AnyNode): number | undefined {
  if (isElement(node)) return ELEMENT_NODE;
  switch (node.nodeType) {
    case 1: return DOCTYPE_NODE;
    case 3: return TEXT_NODE;
    case 8: return COMMENT_NODE;
    case 9: return DOCUMENT_NODE;
    default: return undefined;
  }
}

/** goquery's NodeName: the lower-case tag name, "#text", "#comment", "#document", or the doctype's name. */
export function nodeNameOf(node: AnyNode | undefined): string {
  if (node === undefined) return '';
  if (isElement(node)) return node.name;
  switch (node.nodeType) {
    case 1: return 'html';
    case 3: return '#text';
    case 8: return '#comment';
    case 9: return '#document';
    default: return '';
  }
}

/** The attribute exactly as written (k6 reads raw values: `checked` alone is "", not "checked"). */
export function attrOf(node: AnyNode | undefined, name: string): string | undefined {
  if (!isElement(node)) return undefined;
  return Object.hasOwn(node.attribs, name) ? node.attribs[name] : undefined;
}

/** Concatenated text of the nodes and their descendants (script and style text included, comments not). */
export function textOf(nodes: ArrayLike<AnyNode>): string {
  let out = '';
  for (let i = 0; i < nodes.length; i++) out += nodeText(nodes[i] as AnyNode);
  return out;
}

function nodeText(node: AnyNode): string {
  if (node.nodeType === 3) return (node as { data: string }).data;
  if (node.nodeType === 8) return '';
  const children = (node as { children?: AnyNode[] }).children;
  return children === undefined ? '' : textOf(children);
}

export function namespaceOf(node: AnyNode): string {
  return isElement(node) && typeof node.namespace === 'string' ? node.namespace : HTML_NS;
}

/** k6 maps an attribute's prefix to a namespace URI this way (anything else is XHTML). */
export function prefixNamespace(prefix: string): string {
  if (prefix === 'svg') return 'http://www.w3.org/2000/svg';
  if (prefix === 'math') return 'http://www.w3.org/1998/Math/MathML';
  return HTML_NS;
}

export function attrPrefix(node: DomElement, name: string): string {
  const prefixes = (node as { 'x-attribsPrefix'?: Record<string, string> })['x-attribsPrefix'];
  return prefixes?.[name] ?? '';
}

export function isHtmlNamespace(node: AnyNode): boolean {
  return namespaceOf(node) === HTML_NS;
}

/** Whether `node` is a strict descendant of `ancestor`. */
export function isAncestor(ancestor: AnyNode, node: AnyNode): boolean {
  for (let p = node.parent; p !== null; p = p.parent) if (p === ancestor) return true;
  return false;
}

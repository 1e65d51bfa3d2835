// One parsed document: cheerio's query function over it and the URL it came from (Response.html()
// sets it; relative href/src/action values resolve against it). Every Selection and Element of a
// document shares this object, so the script realm gets no per-VU state from k6/html.
//
// cheerio (parse5, htmlparser2, css-select: 50–300 ms of module loading, once per thread) is required
// when a script imports k6/html (its init, so no iteration pays for it) or on the first
// Response.html(); scripts that never parse HTML do not load it in any thread.
import { createRequire } from 'node:module';
import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode } from 'domhandler';
import type { Element } from './element.ts';
import { Selection } from './selection.ts';
import { createElement } from './typed-elements.ts';

type CheerioLoad = (content: string) => CheerioAPI;
let cheerioLoad: CheerioLoad | undefined;

/** Loads the parser now (k6/html's init) rather than in the middle of the first iteration that parses. */
export function preloadParser(): void {
  loadCheerio();
}

function loadCheerio(): CheerioLoad {
  if (cheerioLoad === undefined) {
    const require = createRequire(import.meta.url);
    cheerioLoad = (require('cheerio') as { load: CheerioLoad }).load;
  }
  return cheerioLoad;
}

export class HtmlDocument {
  readonly $: CheerioAPI;
  readonly url: string;

  private constructor($: CheerioAPI, url: string) {
    this.$ = $;
    this.url = url;
  }

  /** Parses like a browser (parse5, as Go's x/net/html): html, head and body are always there. */
  static parse(src: string, url = ''): Selection {
    const doc = new HtmlDocument(loadCheerio()(src), url);
    return new Selection(doc, doc.$.root(), undefined);
  }

  select(nodes: Cheerio<AnyNode> | AnyNode[], prev?: Selection): Selection {
    return new Selection(this, Array.isArray(nodes) ? this.$(nodes) : nodes, prev);
  }

  /** The typed Element for a node (AnchorElement for <a>, …), or undefined for no node. */
  element(node: AnyNode | null | undefined): Element | undefined {
    return node == null ? undefined : createElement(this, node);
  }
}

/** `parseHTML(src)` of k6/html. */
export function parseHTML(src: unknown): Selection {
  if (typeof src !== 'string') {
    // k6's parseHTML(src string): sobek passes Go's zero value for null and undefined, an empty
    // document (the docs' `parseHTML(res.body)` of a failed request finds nothing rather than throwing).
    return HtmlDocument.parse(src === undefined || src === null ? '' : String(src));
  }
  return HtmlDocument.parse(src);
}

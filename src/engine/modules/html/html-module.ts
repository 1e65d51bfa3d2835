// `import { parseHTML } from 'k6/html'`. The namespace is the only thing created per VU: parseHTML is
// one shared function, and cheerio loads on the first parse (see html-document.ts).
import { parseHTML } from './html-document.ts';

export function createHtmlModule(): Record<string, unknown> {
  const mod = { parseHTML };
  return { ...mod, default: mod };
}

export { parseHTML };
export { HtmlDocument } from './html-document.ts';
export type { Selection } from './selection.ts';

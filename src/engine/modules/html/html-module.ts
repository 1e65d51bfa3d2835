// `import { parseHTML } from 'k6/html'`. The namespace is the only thing created per VU: parseHTML is
// one shared function. Importing the module loads the parser (once per thread, see html-document.ts).
import { parseHTML, preloadParser } from './html-document.ts';

export function createHtmlModule(): Record<string, unknown> {
  preloadParser();
  const mod = { parseHTML };
  return { ...mod, default: mod };
}

export { parseHTML };
export { HtmlDocument } from './html-document.ts';
export type { Selection } from './selection.ts';

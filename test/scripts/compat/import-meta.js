// import.meta.resolve() (k6 docs: javascript-api/import.meta/resolve): a path resolved as an import in
// this module would be, as a file:// URL that open() takes (k6 internal/js/bundle.go, loader.Resolve).
import { check } from 'k6';
import { fixturesUrl, pathsMeta } from './lib/meta-paths.js';
import { siblingMeta } from './lib/meta-sibling.js';

const url = import.meta.resolve('../fixtures/users.json');
const users = JSON.parse(open(url));

function thrown(fn) {
  try {
    fn();
    return '';
  } catch (e) {
    return String(e);
  }
}

export default function () {
  check(url, {
    'a file:// URL': (u) => u.startsWith('file:///') && u.endsWith('/test/scripts/fixtures/users.json'),
    'relative to the importing module': () => fixturesUrl === url,
    'open() reads the file:// URL': () => users.length === 2,
    'https URLs are kept': () => import.meta.resolve('https://jslib.k6.io/k6-utils/1.4.0/index.js') === 'https://jslib.k6.io/k6-utils/1.4.0/index.js',
    'only resolve': () => Object.keys(import.meta).join() === 'resolve',
    'one object per module, also in one directory': () => pathsMeta !== siblingMeta && pathsMeta !== import.meta && import.meta === import.meta,
    'bare names are refused': () => thrown(() => import.meta.resolve('lodash')) === 'GoError: The moduleSpecifier "lodash" couldn\'t be recognised as something k6 supports.',
    'other schemes are refused': () => thrown(() => import.meta.resolve('http://x.test/a.js')) === 'GoError: only supported schemes for imports are file and https, http://x.test/a.js has `http`',
  });
}

// The script sees k6's globals (TextEncoder/TextDecoder, crypto, global, require) and nothing of Node.
import { check } from 'k6';

export const options = { iterations: 1 };

export default function () {
  const bytes = new TextEncoder().encode('héllo');
  check(bytes, {
    'TextEncoder encodes UTF-8': (b) => b.length === 6,
    'TextDecoder decodes it back': (b) => new TextDecoder().decode(b) === 'héllo',
    'crypto is WebCrypto': () => typeof crypto.getRandomValues === 'function',
    'global aliases globalThis': () => global === globalThis,
    'no process, no Buffer': () => typeof process === 'undefined' && typeof Buffer === 'undefined',
  });
}

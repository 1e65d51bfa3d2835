// The global Web Crypto API (crypto.subtle) as k6's webcrypto examples use it: plain ArrayBuffers
// from the script go in, ArrayBuffers of the script come out; TextEncoder's bytes are the script's too.
import { check } from 'k6';

export const options = { iterations: 1 };

function stringToArrayBuffer(str) {
  const buf = new ArrayBuffer(str.length * 2);
  const view = new Uint16Array(buf);
  for (let i = 0; i < str.length; i++) view[i] = str.charCodeAt(i);
  return buf;
}

function hex(buffer) {
  return [...new Uint8Array(buffer)].map((x) => x.toString(16).padStart(2, '0')).join('');
}

export default async function () {
  const plain = stringToArrayBuffer('Hello World');

  const aes = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, aes, plain);
  const deciphered = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: iv.buffer }, aes, ciphertext);

  const hmacKey = await crypto.subtle.importKey('raw', stringToArrayBuffer('secret'), { name: 'HMAC', hash: { name: 'SHA-256' } }, false, ['sign', 'verify']);
  const signature = await crypto.subtle.sign('HMAC', hmacKey, plain);
  const verified = await crypto.subtle.verify('HMAC', hmacKey, signature, plain);

  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode('hello').buffer);

  const base = await crypto.subtle.importKey('raw', stringToArrayBuffer('password'), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: stringToArrayBuffer('salt'), iterations: 1000 }, base, 256);

  const raw = await crypto.subtle.exportKey('raw', aes);

  check(null, {
    'ciphertext is an ArrayBuffer': () => ciphertext instanceof ArrayBuffer,
    'round trip': () => hex(deciphered) === hex(plain),
    'hmac verifies': () => verified === true,
    'sha-256 digest': () => hex(digest) === '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    'pbkdf2 bits': () => bits instanceof ArrayBuffer && bits.byteLength === 32,
    'exported raw key': () => raw instanceof ArrayBuffer && raw.byteLength === 32,
    'TextEncoder bytes are a Uint8Array': () => new TextEncoder().encode('hé') instanceof Uint8Array && new TextEncoder().encode('hé').length === 3,
    'randomUUID': () => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()),
  });
}

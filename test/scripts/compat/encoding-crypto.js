// k6/encoding and k6/crypto as used for signed API requests.
import encoding from 'k6/encoding';
import crypto from 'k6/crypto';
import { check } from 'k6';

const fixture = open('../fixtures/users.json', 'b');

export const options = { iterations: 1 };

const text = open('../fixtures/users.json');
function open_text() {
  return text;
}

export default function () {
  const basic = encoding.b64encode('user:pass');
  check(basic, {
    'b64 std': (s) => s === 'dXNlcjpwYXNz',
    'b64 round trip': (s) => encoding.b64decode(s, 'std', 's') === 'user:pass',
    'b64 url raw': () => encoding.b64encode('\xff\xfe?', 'rawurl') === 'w7_Dvj8',
    'b64 decode to ArrayBuffer': () => encoding.b64decode('AQID').byteLength === 3,
  });
  check(null, {
    'sha256 hex': () => crypto.sha256('hello', 'hex') === '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    'md5 hex': () => crypto.md5('hello', 'hex') === '5d41402abc4b2a76b9719d911017c592',
    'hmac sha256 base64': () => crypto.hmac('sha256', 'key', 'msg', 'base64') === 'LZPLwb4We8sWN6SiPL/wGnh48MUO6DOVTqUiG7G4xig=',
    'incremental hasher': () => {
      const h = crypto.createHash('sha1');
      h.update('hel');
      h.update('lo');
      return h.digest('hex') === 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d';
    },
    'randomBytes length': () => crypto.randomBytes(16).byteLength === 16,
    'sha512 base64rawurl': () => crypto.sha512('', 'base64rawurl').length === 86,
  });
  check(null, {
    'binary outputs are ArrayBuffers of the script': () => crypto.md5('x', 'binary') instanceof ArrayBuffer
      && crypto.randomBytes(4) instanceof ArrayBuffer && encoding.b64decode('AQID') instanceof ArrayBuffer,
    'ArrayBuffer inputs (open b, Uint8Array)': () => crypto.sha256(fixture, 'hex') === crypto.sha256(open_text(), 'hex')
      && encoding.b64encode(new Uint8Array([104, 105]).buffer) === 'aGk=' && crypto.hexEncode(new Uint8Array([1, 255]).buffer) === '01ff',
    'hmac with an ArrayBuffer key': () => crypto.hmac('sha256', new Uint8Array([104, 105]).buffer, 'x', 'hex')
      === '8d7cc35c00f87a671adf09272156aa2b4e7ffa212a655e3e650cdcbf9c030ae0',
  });
}

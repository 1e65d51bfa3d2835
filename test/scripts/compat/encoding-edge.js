// k6/encoding and k6/crypto details scripts meet: base64 flavours and what Go's decoder refuses,
// an unknown flavour name, and hashes that need their output encoding.
import encoding from 'k6/encoding';
import crypto from 'k6/crypto';
import { check } from 'k6';

export const options = { iterations: 1 };

function errorOf(fn) {
  try {
    fn();
    return '';
  } catch (e) {
    return `${e.name}: ${e.message}`;
  }
}

export default function () {
  const token = encoding.b64encode('user:p@ss?', 'rawurl');
  check(token, {
    'rawurl has no padding': (t) => t === 'dXNlcjpwQHNzPw',
    'it decodes back as a string': (t) => encoding.b64decode(t, 'rawurl', 's') === 'user:p@ss?',
    'padded std refuses it at byte 12': (t) => errorOf(() => encoding.b64decode(t, 'std')) === 'GoError: illegal base64 data at input byte 12',
    'an unknown flavour is std': () => encoding.b64encode('hi?>', 'base64') === 'aGk/Pg==' && encoding.b64decode('aGk/Pg==', 'hex', 's') === 'hi?>',
    'CR and LF are skipped': () => encoding.b64decode('aGk/\r\nPg==', 'std', 's') === 'hi?>',
  });
  check(null, {
    'sha256 without an output encoding fails': () => errorOf(() => crypto.sha256('x')) === 'GoError: invalid output encoding: ',
    'an HMAC with an unknown algorithm fails': () => errorOf(() => crypto.hmac('sha3', 'k', 'x', 'hex')) === 'GoError: invalid algorithm: sha3',
    'hex and base64 outputs': () => crypto.md5('abc', 'hex') === '900150983cd24fb0d6963f7d28e17f72' && crypto.sha1('abc', 'base64') === 'qZk+NkcGgWq6PiVxeFDCbJzQ2J0=',
  });
}

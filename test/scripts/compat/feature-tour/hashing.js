// Stampede's feature-tour script for k6/crypto: the one-call digest and a Hasher fed once and read
// twice (digest() does not reset it). Run by test/engine-compat-examples.test.ts.
import { createHash, sha1 } from 'k6/crypto';

export default function () {
  console.log(sha1('herd of bison', 'hex'));

  const hasher = createHash('sha1');
  hasher.update('dust on the prairie');
  for (const enc of ['hex', 'base64']) console.log(hasher.digest(enc));
}

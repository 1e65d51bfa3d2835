// Stampede's feature-tour script for k6/encoding: the four base64 alphabets (std, rawstd, url,
// rawurl) both ways, decoding to a string with the "s" format. Run by test/engine-compat-examples.test.ts.
import { check } from 'k6';
import { b64decode, b64encode } from 'k6/encoding';

// Each case: the text, the alphabet, and what k6 (Go's base64 encodings) writes for it.
const cases = [
  { alphabet: 'std', text: 'stampede at dawn', encoded: 'c3RhbXBlZGUgYXQgZGF3bg==' },
  { alphabet: 'rawstd', text: 'stampede at dawn', encoded: 'c3RhbXBlZGUgYXQgZGF3bg' },
  { alphabet: 'url', text: 'Grüße, Zürich?>!', encoded: 'R3LDvMOfZSwgWsO8cmljaD8-IQ==' },
  { alphabet: 'rawurl', text: 'Grüße, Zürich?>!', encoded: 'R3LDvMOfZSwgWsO8cmljaD8-IQ' },
];

export default function () {
  for (const { alphabet, text, encoded } of cases) {
    // "std" is also the default when no alphabet is given.
    const enc = alphabet === 'std' ? b64encode(text) : b64encode(text, alphabet);
    const dec = alphabet === 'std' ? b64decode(encoded, null, 's') : b64decode(encoded, alphabet, 's');
    check(alphabet, {
      [`${alphabet}: encodes`]: () => enc === encoded,
      [`${alphabet}: decodes back to the text`]: () => dec === text,
    });
  }
}

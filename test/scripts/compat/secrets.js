// k6/secrets as in k6's examples/secrets (secrets.test.js, multi-source.test.js), run with
// --secret-source=file=name=files,default,filename=fixtures/compat.secret --secret-source=mock=name=cli,cool=cli-secret
// Values a script got are redacted from every later log line (k6 secretsource/hook.go).
import secrets from 'k6/secrets';
import { check } from 'k6';

export const options = { vus: 2, iterations: 4 };

export async function setup() {
  const token = await secrets.get('api_token');
  console.log(`setup got ${token}`);
  return { token };
}

export default async function (data) {
  const mySecret = await secrets.get('cool');
  const other = await secrets.source('cli').get('cool');
  console.log(`default: ${mySecret}, cli: ${other}, from setup: ${data.token}`);
  let missing = '';
  try {
    await secrets.get('nope');
  } catch (e) {
    missing = String(e);
  }
  let unknownSource = '';
  try {
    await secrets.source('vault').get('cool');
  } catch (e) {
    unknownSource = String(e);
  }
  check(null, {
    'default source is the file': () => mySecret === 'some-file-secret',
    'named source': () => other === 'cli-secret',
    'unknown key': () => missing === 'no value',
    'unknown source': () => unknownSource === 'no secret source with name "vault" is configured',
  });
}

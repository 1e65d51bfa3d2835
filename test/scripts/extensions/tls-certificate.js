// k6/x/tls against the test's servers: TLS_PORT serves a leaf for tls.test signed by a test CA (read
// through the `hosts` option, unverified), PLAIN_PORT answers in plain HTTP, CLOSED_PORT has nobody.
import tls, { getCertificate } from 'k6/x/tls';
import { check } from 'k6';

export const options = { iterations: 2, hosts: { 'tls.test': '127.0.0.1' } };

const failure = (p) => p.then(() => 'resolved', (e) => e);

export default async function () {
  const cert = await tls.getCertificate(`tls.test:${__ENV.TLS_PORT}`);
  check(cert, {
    'subject': (c) => c.subject.common_name === 'tls.test',
    'issuer': (c) => c.issuer.common_name === 'Stampede Test CA',
    'issued': (c) => c.issued === Number(__ENV.ISSUED),
    'expires': (c) => c.expires === Number(__ENV.EXPIRES) && c.expires > Date.now(),
    'fingerprint': (c) => c.fingerprint === __ENV.FINGERPRINT,
    'fields in order': (c) => Object.keys(c).join() === 'subject,issuer,issued,expires,fingerprint',
  });
  console.log(JSON.stringify(cert));
  const notTls = await failure(getCertificate(`127.0.0.1:${__ENV.PLAIN_PORT}`));
  check(notTls, {
    'not TLS': (e) => String(e) === 'tls: first record does not look like a TLS handshake' && e.error() === String(e),
  });
  const refused = await failure(getCertificate(`127.0.0.1:${__ENV.CLOSED_PORT}`));
  check(refused, { 'refused': (e) => String(e) === `dial tcp 127.0.0.1:${__ENV.CLOSED_PORT}: connect: connection refused` });
  if (__ITER === 1) await getCertificate('127.0.0.1:x');
}

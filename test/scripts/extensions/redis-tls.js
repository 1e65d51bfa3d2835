// k6/x/redis over TLS to a TLS front of the local Redis (REDIS_TLS_PORT; its self-signed certificate
// for localhost in REDIS_CA). Run twice: with INSECURE=1 (insecureSkipTLSVerify) both client forms
// connect; without it the rediss:// URL fails verification and the options object's tls fails as the
// extension does, for want of a server name.
import redis from 'k6/x/redis';
import { check } from 'k6';

const insecure = __ENV.INSECURE === '1';
export const options = { iterations: 1, insecureSkipTLSVerify: insecure, thresholds: { checks: ['rate==1'] } };

const port = Number(__ENV.REDIS_TLS_PORT);
const byUrl = new redis.Client(`rediss://localhost:${port}`);
const byObject = new redis.Client({ socket: { host: 'localhost', port, tls: { ca: [__ENV.REDIS_CA] } } });

async function outcome(p) {
  try {
    return `ok ${await p}`;
  } catch (e) {
    return String(e);
  }
}

export default async function () {
  const url = await outcome(byUrl.sendCommand('PING'));
  const object = await outcome(byObject.sendCommand('ECHO', 'over tls'));
  if (insecure) {
    check(url, { 'rediss URL connects': (o) => o === 'ok PONG' });
    check(object, { 'tls options connect': (o) => o === 'ok over tls' });
  } else {
    check(url, { 'unknown authority refused': (o) => o === 'tls: failed to verify certificate: x509: certificate signed by unknown authority' });
    check(object, { 'no server name': (o) => o === 'tls: either ServerName or InsecureSkipVerify must be specified in the tls.Config' });
  }
}

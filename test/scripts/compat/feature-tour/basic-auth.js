// Stampede's feature-tour script for HTTP Basic auth: credentials in the URL's userinfo, then the
// Authorization header built with k6/encoding. Run by test/engine-compat-examples.test.ts against
// test/scripts/public-hosts.ts (httpbin's /basic-auth/USER/PASS).
import http from 'k6/http';
import { b64encode } from 'k6/encoding';
import { check } from 'k6';

const USER = 'keeper';
const PASS = 'lantern-42';

function verify(label, res) {
  check(res, {
    [`${label}: 200`]: (r) => r.status === 200,
    [`${label}: authenticated`]: (r) => r.json('authenticated') === true,
    [`${label}: as ${USER}`]: (r) => r.json('user') === USER,
  });
}

export default function () {
  verify('userinfo', http.get(`http://${USER}:${PASS}@httpbin.org/basic-auth/${USER}/${PASS}`));
  const header = `Basic ${b64encode(`${USER}:${PASS}`)}`;
  verify('header', http.get(`http://httpbin.org/basic-auth/${USER}/${PASS}`, { headers: { Authorization: header } }));
}

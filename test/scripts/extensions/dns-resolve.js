// k6/x/dns against the test's UDP nameserver (DNS_SERVER, "127.0.0.1:port"), which knows
// app.stampede.test (A, AAAA), txt.stampede.test (TXT), alias.stampede.test (a CNAME) and answers
// NXDOMAIN for anything else; and lookup() through the system resolver.
import dns from 'k6/x/dns';
import { check } from 'k6';

export const options = {
  iterations: 1,
  blockHostnames: ['*.blocked.test'],
  thresholds: { dns_resolutions: ['count==8'], dns_resolution_failed: ['rate>0.5'], dns_lookups: ['count==3'] },
};

const ns = __ENV.DNS_SERVER;
const failure = (p) => p.then(() => 'resolved', (e) => e);

export default async function () {
  const v4 = await dns.resolve('app.stampede.test', 'A', ns);
  const v6 = await dns.resolve('app.stampede.test', 'AAAA', ns);
  const txt = await dns.resolve('txt.stampede.test', 'TXT', ns);
  check(null, {
    'A records': () => Array.isArray(v4) && v4.join(',') === '10.1.2.3,10.1.2.4',
    'AAAA record as Go prints it': () => v6.join(',') === '2001:db8::1',
    'TXT strings joined': () => txt.join(',') === 'hello world',
  });

  const nx = await failure(dns.resolve('nowhere.stampede.test', 'A', ns));
  const alias = await failure(dns.resolve('alias.stampede.test', 'A', ns));
  const badType = await failure(dns.resolve('app.stampede.test', 'MX', ns));
  const blocked = await failure(dns.resolve('api.blocked.test', 'A', ns));
  const refused = await failure(dns.resolve('app.stampede.test', 'A', `127.0.0.1:${__ENV.CLOSED_UDP_PORT}`));
  const badServer = await failure(dns.resolve('app.stampede.test', 'A', 'nameserver.test'));
  check(null, {
    'NXDOMAIN is a DNS Error': () => String(nx) === 'NonExistingDomain: DNS query failed' && nx.name === 'NonExistingDomain' && nx.kind === 3,
    'a CNAME answer is unhandled': () => String(alias) === 'resolve operation failed with unsupported record type: unhandled DNS answer type *dns.CNAME',
    'MX is not supported': () => String(badType) === 'resolve operation failed with unsupported record type, MX is an invalid DNS record type',
    'blockHostnames applies to the query': () => String(blocked) === 'Refused: DNS query blocked by k6 option blockHostnames: api.blocked.test' && blocked.name === 'BlockedHostname',
    'a closed nameserver port': () => /^querying the DNS nameserver failed: unable to receive response DNS packet; reason: read udp 127\.0\.0\.1:\d+->127\.0\.0\.1:\d+: read: connection refused$/.test(String(refused)),
    'the nameserver must be an IP': () => String(badServer) === 'parsing nameserver address failed: invalid nameserver IP address: nameserver.test',
  });

  const local = await dns.lookup('localhost');
  const literal = await dns.lookup('127.0.0.9');
  const lookupBlocked = await failure(dns.lookup('www.blocked.test'));
  check(null, {
    'localhost looks up to loopback': () => local.includes('127.0.0.1') || local.includes('::1'),
    'an IP looks up to itself': () => literal.length === 1 && literal[0] === '127.0.0.9',
    'blocked lookup': () => String(lookupBlocked) === 'Refused: blocked hostname: www.blocked.test',
  });
}

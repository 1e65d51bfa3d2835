// resolve() at the top level of the script: not allowed in the init context.
import dns from 'k6/x/dns';

await dns.resolve('app.stampede.test', 'A', __ENV.DNS_SERVER);

export default function () {}

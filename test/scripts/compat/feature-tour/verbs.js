// Stampede's feature-tour script: http.get, post, put, patch and del, each in its own group, each
// verified by what httpbin's matching endpoint saw (query args, form or JSON body). Run by
// test/engine-compat-examples.test.ts against test/scripts/public-hosts.ts.
import http from 'k6/http';
import { check, group } from 'k6';

const JSON_HEADERS = { headers: { 'Content-Type': 'application/json' } };
const base = 'http://httpbin.org';

const calls = [
  { verb: 'GET', send: () => http.get(`${base}/get?tool=hammer`), seen: (b) => b.args.tool === 'hammer' },
  { verb: 'POST', send: () => http.post(`${base}/post`, { tool: 'saw' }), seen: (b) => b.form.tool === 'saw' },
  { verb: 'PUT', send: () => http.put(`${base}/put`, JSON.stringify({ tool: 'drill' }), JSON_HEADERS), seen: (b) => b.json.tool === 'drill' },
  { verb: 'PATCH', send: () => http.patch(`${base}/patch`, JSON.stringify({ tool: 'file' }), JSON_HEADERS), seen: (b) => b.json.tool === 'file' },
  { verb: 'DELETE', send: () => http.del(`${base}/delete?tool=pliers`), seen: (b) => b.args.tool === 'pliers' },
];

export default function () {
  for (const c of calls) {
    group(c.verb, () => {
      const res = c.send();
      check(res, {
        [`${c.verb} answered 200`]: (r) => r.status === 200,
        [`${c.verb} body reached the endpoint`]: (r) => c.seen(r.json()),
      });
    });
  }
}

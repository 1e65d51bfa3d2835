// k6/x/dns scripts run end to end through the engine against a tiny UDP nameserver this test starts on
// 127.0.0.1, and the system resolver for `localhost`.
import * as dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValues, runScript } from './scripts/engine-harness.ts';

/** The question's name (labels joined by dots, lower-cased), its type, and where the question ends. */
function readQuestion(msg: Buffer): { name: string; type: number; end: number } {
  const labels: string[] = [];
  let pos = 12;
  for (let len = msg[pos] ?? 0; len !== 0; len = msg[pos] ?? 0) {
    labels.push(msg.subarray(pos + 1, pos + 1 + len).toString().toLowerCase());
    pos += len + 1;
  }
  const type = msg.readUInt16BE(pos + 1);
  return { name: labels.join('.'), type, end: pos + 5 };
}

/** One answer record pointing at the question's name (offset 12). */
function record(type: number, rdata: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt16BE(1, 4);
  head.writeUInt32BE(60, 6);
  head.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([head, rdata]);
}

function answerFor(name: string, type: number): { rcode: number; records: Buffer[] } {
  if (name === 'app.stampede.test' && type === 1) {
    return { rcode: 0, records: [record(1, Buffer.from([10, 1, 2, 3])), record(1, Buffer.from([10, 1, 2, 4]))] };
  }
  if (name === 'app.stampede.test' && type === 28) {
    const v6 = Buffer.alloc(16);
    v6.writeUInt16BE(0x2001, 0);
    v6.writeUInt16BE(0x0db8, 2);
    v6.writeUInt16BE(1, 14);
    return { rcode: 0, records: [record(28, v6)] };
  }
  if (name === 'txt.stampede.test' && type === 16) {
    return { rcode: 0, records: [record(16, Buffer.concat([Buffer.from([6]), Buffer.from('hello '), Buffer.from([5]), Buffer.from('world')]))] };
  }
  if (name === 'alias.stampede.test') {
    return { rcode: 0, records: [record(5, Buffer.from([3, 0x61, 0x70, 0x70, 0xc0, 0x0c + 6]))] };
  }
  return { rcode: 3, records: [] };
}

interface Nameserver {
  readonly address: string;
  readonly queries: { name: string; type: number; rd: boolean; edns: boolean }[];
  close(): Promise<void>;
}

async function startNameserver(): Promise<Nameserver> {
  const queries: Nameserver['queries'] = [];
  const server = dgram.createSocket('udp4');
  server.on('message', (msg, rinfo) => {
    const q = readQuestion(msg);
    queries.push({ name: q.name, type: q.type, rd: (msg[2] ?? 0) & 1 ? true : false, edns: msg.readUInt16BE(10) === 1 });
    const { rcode, records } = answerFor(q.name, q.type);
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2);
    header.writeUInt16BE(0x8180 | rcode, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(records.length, 6);
    server.send(Buffer.concat([header, msg.subarray(12, q.end), ...records]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${server.address().port}`,
    queries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A UDP port nothing listens on: bound, then freed. */
async function closedUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

let nameserver: Nameserver;
let closedPort: number;
beforeAll(async () => {
  nameserver = await startNameserver();
  closedPort = await closedUdpPort();
});
afterAll(async () => {
  await nameserver.close();
});

describe('k6/x/dns end to end', () => {
  it('resolves A, AAAA and TXT records from the given nameserver, rejects with the extension\'s errors, looks up through the system', async () => {
    const before = nameserver.queries.length;
    const run = await runScript('extensions/dns-resolve.js', {
      env: { DNS_SERVER: nameserver.address, CLOSED_UDP_PORT: String(closedPort) },
      jsonOut: 'dns-points.json',
    });
    expect(run.stderr).not.toContain('level=error');
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 12, fails: 0 });
    expect(metricValues(run, 'dns_resolutions')?.count).toBe(8);
    // NXDOMAIN, CNAME, MX, blocked, refused, bad nameserver… the last is refused before any metric.
    expect(metricValues(run, 'dns_resolution_failed')?.rate).toBeCloseTo(5 / 8);
    expect(metricValues(run, 'dns_resolution_duration')).toBeDefined();
    expect(metricValues(run, 'dns_lookups')?.count).toBe(3);
    expect(metricValues(run, 'dns_lookup_failed')?.rate).toBeCloseTo(1 / 3);
    expect(metricValues(run, 'dns_lookup_duration')).toBeDefined();
    const points = (run.written.get('dns-points.json') ?? '').split('\n').filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { type: string; metric: string; data: { value: number; tags?: Record<string, string> } })
      .filter((p) => p.type === 'Point');
    const first = points.find((p) => p.metric === 'dns_resolutions');
    expect(first?.data.tags).toMatchObject({ query: 'app.stampede.test', recordType: 'A', nameserver: nameserver.address, scenario: 'default' });
    expect(points.find((p) => p.metric === 'dns_lookups')?.data.tags).toMatchObject({ host: 'localhost' });
    // Queries are sent with recursion desired and an EDNS0 record; blocked and unsupported ones never leave.
    const mine = nameserver.queries.slice(before);
    expect(mine.map((q) => `${q.name}/${q.type}`)).toEqual([
      'app.stampede.test/1', 'app.stampede.test/28', 'txt.stampede.test/16', 'nowhere.stampede.test/1', 'alias.stampede.test/1',
    ]);
    expect(mine.every((q) => q.rd && q.edns)).toBe(true);
    // The UDP exchanges count as network traffic.
    expect(metricValues(run, 'data_sent')?.count).toBeGreaterThan(0);
    expect(metricValues(run, 'data_received')?.count).toBeGreaterThan(0);
  });

  it('resolve() in the init context rejects with the extension\'s text', async () => {
    const run = await runScript('extensions/dns-init.js', { env: { DNS_SERVER: nameserver.address } });
    expect(run.stderr).toContain('resolve can not be used in the init context');
    expect(run.exitCode).toBe(107);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { influxdbConfig } from './influxdb-config.ts';
import { InfluxdbOutput } from './influxdb-output.ts';
import type { PointSample } from './sample-output.ts';

const sample = (value: number): PointSample => ({ metric: 'test_gauge', type: 'gauge', contains: 'default', time: Date.now(), value, tags: {}, metadata: undefined });

describe('InfluxdbOutput writes (TestOutputFlushMetricsConcurrency, TestOutputWritesToURLPathPrefix)', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
  });

  it('at most concurrentWrites writes in flight; later flushes wait, nothing is lost; writes go under the path prefix', async () => {
    const paths: string[] = [];
    const held: (() => void)[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    let lines = 0;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => void (body += c.toString()));
      req.on('end', () => {
        paths.push(req.url?.split('?')[0] ?? '');
        if (req.url?.startsWith('/influxdbA/query') === true) return void res.writeHead(200).end('{}');
        lines += body.split('\n').filter((l) => l !== '').length;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        held.push(() => {
          inFlight--;
          res.writeHead(204).end();
        });
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const out = new InfluxdbOutput(influxdbConfig(`http://127.0.0.1:${port}/influxdbA/k6db?concurrentWrites=2&pushInterval=20ms`, {}, undefined), { write: () => undefined });
    await out.start();
    const until = async (cond: () => boolean): Promise<void> => {
      for (let waited = 0; !cond() && waited < 5000; waited += 5) await new Promise((r) => setTimeout(r, 5));
    };
    // Two flushes, each held by the server: both in flight.
    out.add([sample(0)]);
    await until(() => inFlight === 1);
    out.add([sample(1)]);
    await until(() => inFlight === 2);
    // Further flushes wait for a slot: their samples stay buffered, nothing more reaches the server.
    for (let i = 2; i < 6; i++) {
      out.add([sample(i)]);
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(inFlight).toBe(2);
    expect(maxInFlight).toBe(2);
    const stopped = out.stop();
    // Release the held writes one by one until the output has nothing left.
    let done = false;
    void stopped.then(() => void (done = true));
    while (!done) {
      held.shift()?.();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(lines).toBe(6);
    expect(maxInFlight).toBe(2);
    expect(new Set(paths)).toEqual(new Set(['/influxdbA/query', '/influxdbA/write']));
  });
});

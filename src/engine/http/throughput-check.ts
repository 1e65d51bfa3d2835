// By-hand throughput check (not part of the test suite):
//   node bin/run-ts.js src/engine/http/throughput-check.ts [seconds=3] [concurrency=64] [rounds=2]
// Starts a node:http target in a child process on 127.0.0.1, then for the same duration runs
// (1) a bare undici loop, one Client per concurrent loop, and (2) the same number of VUs calling
// http.get() through createHttpModule with k6's per-iteration hooks, and prints both rates and the ratio.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Client } from 'undici';
import type { VuHost } from '../vu/vu-host.ts';
import { createHttpModule } from './http-module.ts';
import { MetricsAggregator } from '../metrics/metrics-aggregator.ts';
import { BUILTIN_METRICS } from '../metrics/builtin-metrics.ts';

const seconds = Number(process.argv[2] ?? '3');
const concurrency = Number(process.argv[3] ?? '64');
const rounds = Number(process.argv[4] ?? '2');

const TARGET = `
const http = require('node:http');
const s = http.createServer((req, res) => { res.setHeader('Content-Type', 'text/plain'); res.end('hello world'); });
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`;

async function startTarget(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', TARGET], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${chunk.toString().trim()}/`, stop: () => child.kill() };
}

interface Measured {
  readonly rate: number;
  /** Client CPU (user+system) µs per request: steadier than the rate on a shared machine. */
  readonly cpuPerReq: number;
}

async function measure(run: () => Promise<number>): Promise<Measured> {
  const cpu0 = process.cpuUsage();
  const count = await run();
  const cpu = process.cpuUsage(cpu0);
  return { rate: count / seconds, cpuPerReq: (cpu.user + cpu.system) / count };
}

async function bareUndici(url: string): Promise<number> {
  const u = new URL(url);
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  const loops = Array.from({ length: concurrency }, async () => {
    const client = new Client(u.origin, { pipelining: 1 });
    while (performance.now() < deadline) {
      const res = await client.request({ method: 'GET', path: u.pathname });
      await res.body.text();
      count++;
    }
    await client.close();
  });
  await Promise.all(loops);
  return count / seconds;
}

// The worker's real aggregator, so the rate includes folding samples into per-second series.
const defs = new Map(BUILTIN_METRICS.map((d) => [d.name, d]));
const aggregator = new MetricsAggregator({ get: (name) => defs.get(name) });

function vuHost(): { host: VuHost; start: () => void; end: () => Promise<void>; close: () => Promise<void> } {
  const starts: (() => void)[] = [];
  const ends: (() => void | Promise<void>)[] = [];
  const closes: (() => void | Promise<void>)[] = [];
  const host: VuHost = {
    state: { id: 1, idInTest: 1, iteration: 0, phase: 'vu', groupPath: '', scenario: 'default', tags: { scenario: 'default', group: '' } },
    options: {},
    samples: aggregator,
    metrics: { define: () => undefined, get: () => undefined },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    lifecycle: { onIterationStart: (f) => starts.push(f), onIterationEnd: (f) => ends.push(f), onClose: (f) => closes.push(f) },
    countBytes: (sent, received) => aggregator.addMany({ scenario: 'default', group: '' }, [['data_sent', sent], ['data_received', received]]),
    block: (p) => p,
    blockCancellable: (p) => p,
    interruption: () => undefined,
    resumeHooks: false,
    signal: new AbortController().signal,
    pause: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    keepAlive: () => () => undefined,
    settleOnLoop: <T>(p: Promise<T>) => p,
  };
  return {
    host,
    start: () => {
      for (const f of starts) f();
    },
    end: async () => {
      for (const f of ends) await f();
    },
    close: async () => {
      for (const f of closes) await f();
    },
  };
}

async function engineModule(url: string): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  const flusher = setInterval(() => aggregator.flush(Date.now()), 1000);
  const loops = Array.from({ length: concurrency }, async () => {
    const vu = vuHost();
    const http = createHttpModule(vu.host) as { get: (u: string) => Promise<{ status: number }> };
    while (performance.now() < deadline) {
      vu.start();
      const res = await http.get(url);
      if (res.status !== 200) throw new Error(`unexpected status ${res.status}`);
      await vu.end();
      count++;
    }
    await vu.close();
  });
  await Promise.all(loops);
  clearInterval(flusher);
  return count;
}

const target = await startTarget();
try {
  await bareUndici(target.url); // warm-up of the target and the JIT
  // Alternating rounds, best of each: the machine is shared, so single runs are noisy.
  let bare = 0;
  let engine = 0;
  let bareCpu = Infinity;
  let engineCpu = Infinity;
  for (let round = 1; round <= rounds; round++) {
    // Alternate which goes first, so neither side always inherits the other's leftovers.
    const bareFirst = round % 2 === 1;
    const b0 = bareFirst ? await measure(() => bareUndici(target.url)) : undefined;
    const e = await measure(() => engineModule(target.url));
    const b = b0 ?? (await measure(() => bareUndici(target.url)));
    process.stdout.write(
      `round ${round}: bare undici ${b.rate.toFixed(0)} req/s (${b.cpuPerReq.toFixed(1)} µs CPU/req), ` +
        `k6/http module ${e.rate.toFixed(0)} req/s (${e.cpuPerReq.toFixed(1)} µs CPU/req)\n`,
    );
    bare = Math.max(bare, b.rate);
    engine = Math.max(engine, e.rate);
    bareCpu = Math.min(bareCpu, b.cpuPerReq);
    engineCpu = Math.min(engineCpu, e.cpuPerReq);
  }
  process.stdout.write(
    `best rates: bare ${bare.toFixed(0)}, module ${engine.toFixed(0)} req/s → ratio ${(engine / bare).toFixed(2)}\n` +
      `CPU per request: bare ${bareCpu.toFixed(1)} µs, module ${engineCpu.toFixed(1)} µs → CPU-bound ratio ${(bareCpu / engineCpu).toFixed(2)}\n`,
  );
} finally {
  target.stop();
}

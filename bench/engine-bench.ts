// npm run bench:engine — the engine against wrk, autocannon and a bare undici loop, same target, same
// run. The generator gets core 0 and the target core 1 (taskset), as issue 2 asks. Prints ratios.
//   --quick       3 s per measurement instead of 10 (for a smoke run)
//   --only=NAME   throughput | memory | accuracy
//   --pairs=N     alternating undici-loop/engine pairs at 64 VUs after the single runs (default 5; 0: none)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const SECONDS = args.includes('--quick') ? 3 : 10;
const only = args.find((a) => a.startsWith('--only='))?.slice(7);
const PAIRS = Number(args.find((a) => a.startsWith('--pairs='))?.slice(8) ?? 5);
const work = mkdtempSync(join(tmpdir(), 'stampede-bench-'));
const NGINX_PORT = 18080;
const DELAY_PORT = 18081;
const GEN_CPU = '0';
const TARGET_CPU = '1';

function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

function run(cmd: string, argv: string[], opts: { cpu?: string } = {}): { stdout: string; stderr: string; status: number | null } {
  const full = opts.cpu && have('taskset') ? ['taskset', ['-c', opts.cpu, cmd, ...argv]] as const : [cmd, argv] as const;
  const r = spawnSync(full[0], full[1] as string[], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, cwd: ROOT });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
}

async function startNginx(): Promise<() => void> {
  const conf = join(work, 'nginx.conf');
  writeFileSync(conf, `worker_processes 1; daemon off; pid ${work}/nginx.pid; error_log ${work}/nginx-error.log;
events { worker_connections 20000; }
http { access_log off; keepalive_requests 1000000; keepalive_timeout 120s;
  server { listen 127.0.0.1:${NGINX_PORT}; location / { return 200 "ok"; } } }\n`);
  const child = spawn('taskset', ['-c', TARGET_CPU, 'nginx', '-c', conf, '-p', work], { stdio: 'ignore' });
  await delay(500);
  return () => child.kill('SIGTERM');
}

async function startDelayServer(): Promise<() => void> {
  const child = spawn('taskset', ['-c', TARGET_CPU, process.execPath, 'bin/run-ts.js', 'bench/delay-server.ts', String(DELAY_PORT), '50'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((ok) => child.stdout.once('data', () => ok()));
  return () => child.kill('SIGTERM');
}

// The parts of a --summary-export file the benchmark reads.
interface SummaryExport { metrics?: Record<string, Record<string, number | undefined> | undefined> }

interface EngineOutcome { reqs: number; rate: number; summary: SummaryExport; peakRssKb: number }

/** Runs `stampede run` on core 0 and samples its RSS; returns the summary export. */
async function engine(script: string, extra: string[] = [], sampleRssAtMs?: number): Promise<EngineOutcome> {
  const file = join(work, `script-${Math.random().toString(36).slice(2)}.js`);
  writeFileSync(file, script);
  const exportPath = `${file}.summary.json`;
  const child = spawn('taskset', ['-c', GEN_CPU, process.execPath, 'bin/stampede.js', 'run', file, '-q', '--summary-export', exportPath, ...extra], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  let peakRssKb = 0;
  const sampler = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      if (sampleRssAtMs === undefined) peakRssKb = Math.max(peakRssKb, kb);
      else peakRssKb = kb; // last sample before the cut-off below
    } catch { /* process gone */ }
  }, 250);
  if (sampleRssAtMs !== undefined) setTimeout(() => clearInterval(sampler), sampleRssAtMs);
  const code = await new Promise<number | null>((ok) => child.on('exit', ok));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`stampede run exited ${code}: ${stderr.slice(-2000)}`);
  const summary = JSON.parse(readFileSync(exportPath, 'utf8')) as SummaryExport;
  const reqs = Number(summary.metrics?.http_reqs?.count ?? 0);
  return { reqs, rate: Number(summary.metrics?.http_reqs?.rate ?? 0), summary, peakRssKb };
}

function line(label: string, value: string): void {
  process.stdout.write(`${label.padEnd(46)} ${value}\n`);
}

async function throughput(): Promise<void> {
  const url = `http://127.0.0.1:${NGINX_PORT}/`;
  process.stdout.write(`\n== Throughput: ${SECONDS}s each, generator on core ${GEN_CPU}, nginx on core ${TARGET_CPU}\n`);
  const stop = await startNginx();
  try {
    const w = run('wrk', ['-t1', '-c64', `-d${SECONDS}s`, url], { cpu: GEN_CPU });
    const wrkRate = Number(/Requests\/sec:\s+([\d.]+)/.exec(w.stdout)?.[1] ?? NaN);
    line('wrk -t1 -c64', `${wrkRate.toFixed(0)} req/s`);
    const ac = run(process.execPath, ['node_modules/autocannon/autocannon.js', '-j', '-c', '64', '-d', String(SECONDS), url], { cpu: GEN_CPU });
    const acJson = JSON.parse(ac.stdout || '{}') as { requests?: { average?: number } };
    const acRate = Number(acJson.requests?.average ?? NaN);
    line('autocannon -c 64', `${acRate.toFixed(0)} req/s`);
    const u = run(process.execPath, ['bin/run-ts.js', 'bench/undici-loop.ts', url, '64', String(SECONDS)], { cpu: GEN_CPU });
    const uj = JSON.parse(u.stdout.trim().split('\n').pop() || '{}') as { requests: number; seconds: number };
    const undiciRate = uj.requests / uj.seconds;
    line('bare undici loop, 64 Clients', `${undiciRate.toFixed(0)} req/s`);
    const script = `import http from 'k6/http';\nexport default function () { http.get('${url}'); }\n`;
    const e64 = await engine(script, ['--vus', '64', '--duration', `${SECONDS}s`, '--workers', '1']);
    line('stampede run, 64 VUs', `${e64.rate.toFixed(0)} req/s`);
    line('  ratio engine / wrk (target >= 0.5)', (e64.rate / wrkRate).toFixed(2));
    line('  ratio engine / undici loop (target >= 0.8)', (e64.rate / undiciRate).toFixed(2));
    line('  ratio engine / autocannon', (e64.rate / acRate).toFixed(2));
    // The same physical limit with 1,000 connections: what undici itself keeps of its 64-connection rate.
    const u1k = run(process.execPath, ['bin/run-ts.js', 'bench/undici-loop.ts', url, '1000', String(SECONDS)], { cpu: GEN_CPU });
    const u1kj = JSON.parse(u1k.stdout.trim().split('\n').pop() || '{}') as { requests: number; seconds: number };
    const undici1kRate = u1kj.requests / u1kj.seconds;
    line('bare undici loop, 1000 Clients', `${undici1kRate.toFixed(0)} req/s`);
    const e1k = await engine(script, ['--vus', '1000', '--duration', `${SECONDS}s`, '--workers', '1']);
    line('stampede run, 1000 VUs', `${e1k.rate.toFixed(0)} req/s`);
    line('  ratio engine(1000 VUs) / wrk (target >= 0.25)', (e1k.rate / wrkRate).toFixed(2));
    line('  ratio engine(1000 VUs) / undici loop(1000)', (e1k.rate / undici1kRate).toFixed(2));
    line('  ratio undici loop(1000) / wrk', (undici1kRate / wrkRate).toFixed(2));
    await pairedRatios(url, script);
  } finally {
    stop();
  }
}

/**
 * The 64-VU ratio from back-to-back pairs (undici loop, then engine): on a shared VM the rates move by
 * ±20 % from one run to the next, so one pair's ratio can land far from the typical one; the median of
 * several adjacent pairs is the figure to compare with the target.
 */
async function pairedRatios(url: string, script: string): Promise<void> {
  if (!(PAIRS > 0)) return;
  const secs = SECONDS; // the issue measures 10 s runs: shorter ones weigh the engine's JIT warm-up more
  const ratios: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const u = run(process.execPath, ['bin/run-ts.js', 'bench/undici-loop.ts', url, '64', String(secs)], { cpu: GEN_CPU });
    const uj = JSON.parse(u.stdout.trim().split('\n').pop() || '{}') as { requests: number; seconds: number };
    const e = await engine(script, ['--vus', '64', '--duration', `${secs}s`, '--workers', '1']);
    ratios.push(e.rate / (uj.requests / uj.seconds));
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  line(`paired ${secs}s runs, engine / undici loop (64)`, ratios.map((r) => r.toFixed(2)).join(' '));
  line('  median paired ratio (target >= 0.8)', median.toFixed(2));
}

async function memory(): Promise<void> {
  const url = `http://127.0.0.1:${NGINX_PORT}/`;
  process.stdout.write(`\n== Memory: RSS per VU, sleep(1) loops with one HTTP connection each\n`);
  const stop = await startNginx();
  try {
    const script = `import http from 'k6/http';\nimport { sleep } from 'k6';\nexport default function () { http.get('${url}'); sleep(1); }\n`;
    const secs = Math.max(SECONDS, 8);
    const base = await engine(script, ['--vus', '1', '--duration', `${secs}s`, '--workers', '1'], (secs - 1) * 1000);
    line('1 VU', `${(base.peakRssKb / 1024).toFixed(1)} MB RSS`);
    for (const n of [1000, 10000]) {
      const r = await engine(script, ['--vus', String(n), '--duration', `${secs}s`, '--workers', '1'], (secs - 1) * 1000);
      const perVu = ((r.peakRssKb - base.peakRssKb) * 1024) / (n - 1);
      line(`${n} VUs`, `${(r.peakRssKb / 1024).toFixed(1)} MB RSS, ${(perVu / 1024).toFixed(1)} KB per VU (target <= 100 KB)`);
    }
  } finally {
    stop();
  }
}

async function accuracy(): Promise<void> {
  const url = `http://127.0.0.1:${DELAY_PORT}/`;
  process.stdout.write(`\n== Accuracy: target answers after exactly 50 ms\n`);
  const stop = await startDelayServer();
  try {
    const s1 = `import http from 'k6/http';\nexport const options = { summaryTrendStats: ['med','p(95)','avg'] };\nexport default function () { http.get('${url}'); }\n`;
    const r1 = await engine(s1, ['--vus', '20', '--duration', `${SECONDS}s`, '--workers', '1']);
    const med = Number(r1.summary.metrics?.http_req_waiting?.med ?? NaN);
    line('median http_req_waiting (target 50 ± 2 ms)', `${med.toFixed(2)} ms`);
    const s2 = `import http from 'k6/http';\nexport const options = { scenarios: { car: { executor: 'constant-arrival-rate', rate: 500, timeUnit: '1s', duration: '${SECONDS}s', preAllocatedVUs: 100, maxVUs: 200 } } };\nexport default function () { http.get('${url}'); }\n`;
    const r2 = await engine(s2, ['--workers', '1']);
    const iters = Number(r2.summary.metrics?.iterations?.count ?? 0);
    const dropped = Number(r2.summary.metrics?.dropped_iterations?.count ?? 0);
    line('constant-arrival-rate 500/s (target 500 ± 1%)', `${(iters / SECONDS).toFixed(1)} iterations/s, ${dropped} dropped`);
  } finally {
    stop();
  }
}

if (!have('wrk') || !have('nginx')) {
  process.stderr.write('bench:engine needs wrk and nginx (Debian: apt-get install -y wrk nginx-light)\n');
  process.exitCode = 2;
} else {
  try {
    if (!only || only === 'throughput') await throughput();
    if (!only || only === 'memory') await memory();
    if (!only || only === 'accuracy') await accuracy();
  } finally {
    rmSync(work, { recursive: true, force: true }); // the scripts, their summary exports, nginx's files
  }
}

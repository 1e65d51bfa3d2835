import { describe, expect, it } from 'vitest';
import type { EngineFlagsPort, EngineLoadedTestPort, EnginePort, EngineRunResultPort } from './engine-port.ts';
import type { FromRunner } from './protocol.ts';
import { RunnerSession } from './runner-session.ts';

const SCRIPT = Buffer.from('"use k6 with k6/x/faker > 0.4";\nexport default function () {}').toString('base64');

function controllableEngine(progress: () => unknown = () => ({ phase: 'running' })) {
  let release: (loaded: EngineLoadedTestPort) => void = () => {};
  let finish: (r: EngineRunResultPort) => void = () => {};
  const aborts: string[] = [];
  let started = false;
  const loaded: EngineLoadedTestPort = {
    options: { vus: 2 },
    plan: { maxVUs: 2, maxPlannedVUs: 2, totalDurationMs: 31_000 },
    warnings: ['a warning'],
    start: () => {
      started = true;
      return {
        abort: (reason) => { aborts.push(reason); },
        onMetrics: () => {},
        progress,
        result: new Promise<EngineRunResultPort>((res) => { finish = res; }),
      };
    },
  };
  const engine: EnginePort = { loadTest: () => new Promise((res) => { release = res; }) };
  return { engine, load: () => release(loaded), finish: (r: EngineRunResultPort) => finish(r), aborts, started: () => started };
}

function session(engine: EnginePort) {
  const sent: FromRunner[] = [];
  let done = false;
  const s = new RunnerSession({ engine, engineVersion: 'stampede-test', workDir: '/nonexistent', send: (m) => sent.push(m), onDone: () => { done = true; } });
  return { s, sent, done: () => done, flow: () => sent.filter((m) => m.type !== 'progress').map((m) => (m.type === 'status' ? m.phase : m.type)) };
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('runner session', () => {
  it("reports the engine's declared dependencies (k6 v2's) over the script's directives when the engine gives them", async () => {
    const e = controllableEngine();
    const r = session({ loadTest: async (...args) => ({ ...(await e.engine.loadTest(...args)), dependencies: { k6: '*', 'k6/x/faker': '>0.4' } }) });
    r.s.handle({ type: 'start', script: SCRIPT, contentType: 'text/javascript' });
    e.load();
    await tick();
    expect(r.sent.find((m) => m.type === 'plan')).toMatchObject({ dependencies: { k6: '*', 'k6/x/faker': '>0.4' } });
    r.s.handle({ type: 'abort', reason: 'user' });
  });

  it('reports the plan with declared dependencies and the engine version, then runs only when told', async () => {
    const e = controllableEngine();
    const r = session(e.engine);
    r.s.handle({ type: 'start', script: SCRIPT, contentType: 'text/javascript' });
    e.load();
    await tick();
    expect(r.sent.find((m) => m.type === 'plan')).toMatchObject({ maxVUs: 2, totalDurationMs: 31_000, warnings: ['a warning'], dependencies: { 'k6/x/faker': '> 0.4' }, versions: { k6: 'stampede-test' } });
    expect(e.started()).toBe(false);
    r.s.handle({ type: 'proceed' });
    e.finish({ exitCode: 0, summaryData: {}, testRunDurationMs: 10 });
    await tick();
    expect(r.flow()).toEqual(['initializing', 'plan', 'running', 'processing_metrics', 'finished', 'done']);
  });

  it('does not start a run that was aborted while its script was loading', async () => {
    const e = controllableEngine();
    const r = session(e.engine);
    r.s.handle({ type: 'start', script: SCRIPT, contentType: 'text/javascript' });
    r.s.handle({ type: 'abort', reason: 'user' });
    e.load();
    await tick();
    expect(r.flow()).toEqual(['initializing', 'plan', 'done']);
    expect(e.started()).toBe(false);
    expect(r.done()).toBe(true);
  });

  it('announces running only once the executors start, and passes a limit abort to the engine as an external stop', async () => {
    let phase = 'setup';
    const e = controllableEngine(() => ({ phase, scenarios: [{ iterations: 3 }, { iterations: 4 }] }));
    const r = session(e.engine);
    r.s.handle({ type: 'start', script: SCRIPT, contentType: 'text/javascript' });
    e.load();
    await tick();
    r.s.handle({ type: 'proceed' });
    await tick();
    expect(r.flow()).not.toContain('running');
    phase = 'running';
    await new Promise((res) => setTimeout(res, 250));
    expect(r.flow()).toContain('running');
    r.s.handle({ type: 'abort', reason: 'limit' });
    expect(e.aborts).toEqual(['user']);
    e.finish({ exitCode: 105, abortReason: 'script-error', summaryData: {}, testRunDurationMs: 10 });
    await tick();
    expect(r.sent.find((m) => m.type === 'finished')).toMatchObject({ abortReason: 'script_error' });
    expect(r.sent.filter((m) => m.type === 'progress').at(-1)).toMatchObject({ iterations: 7 });
  });

  it('loads one share of a run with its execution segment and leaves the thresholds to the control plane', async () => {
    const flags: EngineFlagsPort[] = [];
    const engine: EnginePort = { loadTest: async (_input, f) => { flags.push(f); throw Object.assign(new Error('stop here'), { exitCode: 107 }); } };
    const r = session(engine);
    r.s.handle({ type: 'start', script: SCRIPT, contentType: 'text/javascript', env: { A: '1' }, share: { segment: '0:3/10', sequence: '0,3/10,1' } });
    await tick();
    expect(flags).toEqual([{ env: { A: '1' }, paused: false, executionSegment: '0:3/10', executionSegmentSequence: '0,3/10,1', noThresholds: true }]);
    const whole = session(engine);
    whole.s.handle({ type: 'start', script: SCRIPT, contentType: 'text/javascript' });
    await tick();
    // A run carried by one runner is the engine's as a local `k6 run`: thresholds on, whole plan; never
    // paused (a script's `paused: true` would wait for a REST API resume that cannot come).
    expect(flags[1]).toEqual({ paused: false });
  });

  it('reports a load failure with the engine exit code', async () => {
    const engine: EnginePort = { loadTest: async () => { throw Object.assign(new Error('bad options: vus must be positive'), { exitCode: 104 }); } };
    const r = session(engine);
    r.s.handle({ type: 'inspect', script: SCRIPT, contentType: 'text/javascript' });
    await tick();
    expect(r.sent.find((m) => m.type === 'error')).toEqual({ type: 'error', message: 'bad options: vus must be positive', exitCode: 104 });
    expect(r.done()).toBe(true);
  });

  it("names the script's files as uploaded in a load failure, not by the runner's temporary folder", async () => {
    const engine: EnginePort = { loadTest: async () => { throw new Error('/nonexistent/script.js:1:28: Expected identifier\n\tat file:///nonexistent/lib/a.js:2:3'); } };
    const r = session(engine);
    r.s.handle({ type: 'inspect', script: SCRIPT, contentType: 'text/javascript' });
    await tick();
    expect(r.sent.find((m) => m.type === 'error')).toMatchObject({ message: 'script.js:1:28: Expected identifier\n\tat file:///lib/a.js:2:3' });
  });

  it("names the script's files as uploaded in the stack traces of its log lines", async () => {
    const engine: EnginePort = {
      loadTest: async (_script, _flags, io) => {
        io.logEntries?.write({ time: 1, level: 'error', msg: 'Error: boom\n\tat default (file:///nonexistent/script.js:2:36)', fields: { source: 'stacktrace' } });
        throw new Error('stop');
      },
    };
    const r = session(engine);
    r.s.handle({ type: 'start', script: SCRIPT, contentType: 'text/javascript' });
    await tick();
    const logged = r.sent.find((m) => m.type === 'logLines');
    expect(logged?.type === 'logLines' && logged.lines[0]).toMatchObject({ msg: 'Error: boom\n\tat default (file:///script.js:2:36)', fields: { source: 'stacktrace' } });
  });
});

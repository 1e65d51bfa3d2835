// k6's k6/execution module tests (internal/js/modules/k6/execution/execution_test.go) against
// createExecutionModule, with a hand-held VU view instead of a running VU.
import { describe, expect, it } from 'vitest';
import { ScriptAbort } from '../vu/interrupt.ts';
import type { VuExecutionView, VuPhase } from '../vu/vu.ts';
import type { ExecutionFacts } from '../vu/vu-services.ts';
import { createExecutionModule } from './k6-execution-module.ts';
import { recordingHost } from './test-host.ts';

interface Exec {
  vu: Record<string, unknown> & { tags: Record<string, unknown>; metrics: { tags: Record<string, unknown>; metadata: Record<string, unknown> } };
  scenario: Record<string, unknown>;
  test: { abort(m?: unknown): never; fail(m?: unknown): void; options: Record<string, unknown> };
  instance: Record<string, unknown>;
}

function setup(
  phase: VuPhase,
  opts: { builtinTags?: Record<string, string>; id?: number; scenario?: boolean; options?: Record<string, unknown>; iteration?: number; systemMetadata?: Record<string, string> } = {},
) {
  const host = recordingHost(opts.options ?? {});
  const tags = { scenario: 'default', group: '', ...opts.builtinTags };
  Object.defineProperty(host, 'state', { get: () => ({ id: 1, idInTest: 1, iteration: 0, phase, groupPath: '', scenario: 'default', tags }) });
  const view: VuExecutionView = {
    id: opts.id ?? 1,
    idInTest: opts.id ?? 1,
    iteration: opts.iteration ?? -1,
    iterationInScenario: 0,
    iterationInTest: 0,
    phase,
    scenario: opts.scenario === false ? undefined : { name: 'default', executor: 'per-vu-iterations', env: {}, tags: {} },
    customTags: {},
    metadata: {},
    systemMetadata: opts.systemMetadata ?? {},
    invalidateTags() {},
    invalidateMetadata() {},
  };
  const failed: string[] = [];
  const facts: ExecutionFacts = {
    iterationsCompleted: () => 0,
    iterationsInterrupted: () => 0,
    vusActive: () => 0,
    vusInitialized: () => 0,
    testStart: () => 0,
    runStart: () => 0,
    scenario: () => ({ executor: 'per-vu-iterations', startTime: 0, progress: 0 }),
    testOptions: () => ({ paused: true, scenarios: { default: { executor: 'per-vu-iterations' } } }),
    abortTest: () => undefined,
    failTest: (m) => void failed.push(m),
  };
  const exec = createExecutionModule(host, view, facts, (json) => JSON.parse(json)).default as Exec;
  return { exec, view, failed };
}

const views = [
  ['tags', (e: Exec) => e.vu.tags, 'tag'],
  ['metrics.tags', (e: Exec) => e.vu.metrics.tags, 'tag'],
  ['metrics.metadata', (e: Exec) => e.vu.metrics.metadata, 'metadata'],
] as const;

describe('k6/execution vu.tags and vu.metrics (k6 execution_test.go)', () => {
  it.each(views)('TestVUTagsMetadatasGet: vu.%s reads what is set and undefined for the rest', (_name, of, kind) => {
    const { exec, view } = setup('vu', { builtinTags: { 'tag-vu': 'mytag' } });
    view.metadata['metadata-vu'] = 'mymetadata';
    expect(of(exec)[`${kind}-vu`]).toBe(`my${kind}`);
    expect(of(exec)[`not-existing-${kind}`]).toBeUndefined();
  });

  it.each(views)('TestVUTagsMetadatasJSONEncoding: JSON.stringify(vu.%s) lists the entries', (_name, of, kind) => {
    const { exec } = setup('vu', { builtinTags: {} });
    const tags = exec.vu.tags;
    tags['tag-vu'] = '42';
    tags['custom-tag'] = 'mytag1';
    exec.vu.metrics.metadata['metadata-vu'] = '42';
    exec.vu.metrics.metadata['custom-metadata'] = 'mymetadata1';
    const decoded = JSON.parse(JSON.stringify(of(exec))) as Record<string, string>;
    expect(decoded).toMatchObject({ [`${kind}-vu`]: '42', [`custom-${kind}`]: `my${kind}1` });
    if (kind === 'metadata') expect(Object.keys(decoded).sort()).toEqual(['custom-metadata', 'metadata-vu']);
  });

  it.each(views)('TestVUTagMetadatasSetSuccessAcceptedTypes: vu.%s takes strings, booleans and numbers as strings', (_name, of) => {
    const { exec } = setup('vu');
    for (const [v, expected] of [['tag1', 'tag1'], [true, 'true'], [101, '101'], [3.14, '3.14']] as const) {
      of(exec).mytag = v;
      expect(of(exec).mytag).toBe(expected);
    }
  });

  it('the VU\'s vu and iter system metadata show in vu.metrics.metadata, under the script\'s own keys, never in vu.tags', () => {
    const { exec } = setup('vu', { id: 3, iteration: 5, systemMetadata: { vu: '3', iter: '5' } });
    expect(JSON.parse(JSON.stringify(exec.vu.metrics.metadata))).toEqual({ vu: '3', iter: '5' });
    expect(exec.vu.tags.vu).toBeUndefined();
    exec.vu.metrics.metadata.iter = 'mine';
    expect(JSON.parse(JSON.stringify(exec.vu.metrics.metadata))).toEqual({ vu: '3', iter: 'mine' });
    const off = setup('vu', { id: 3, iteration: 5 });
    expect(JSON.parse(JSON.stringify(off.exec.vu.metrics.metadata))).toEqual({});
  });

  it('TestVUTagsMetadatasSuccessOverwriteSystemTag: a script may overwrite the vu tag', () => {
    const { exec } = setup('vu', { builtinTags: { vu: '42' } });
    expect(exec.vu.tags.vu).toBe('42');
    exec.vu.tags.vu = 'vu101';
    expect(exec.vu.tags.vu).toBe('vu101');
  });

  it.each(views)('TestVUTagsMetadataErrorOutOnInvalidValues: vu.%s rejects other values with a TypeError', (_name, of, kind) => {
    const { exec } = setup('vu', { builtinTags: { vu: '42' } });
    for (const bad of [null, undefined, [], {}, [1, 3, 5], { f1: 'value1', f2: 4 }, { foo: 'bar' }]) {
      expect(() => {
        of(exec).custom = bad;
      }).toThrow(new TypeError(
        `invalid value for metric ${kind} 'custom': only String, Boolean and Number types are accepted as a metric ${kind} ${kind === 'tag' ? 'values' : 'value'}`,
      ));
    }
  });
});

describe('k6/execution test and scenario (k6 execution_test.go)', () => {
  it('TestAbortTest: test.abort() ends the run with k6\'s reason, optionally with the script\'s message', () => {
    const { exec } = setup('vu');
    expect(() => exec.test.abort()).toThrow(new ScriptAbort('test aborted'));
    expect(() => exec.test.abort('mayday')).toThrow(new ScriptAbort('test aborted: mayday'));
  });

  it('TestFailTest: test.fail() marks the test failed without throwing, with the reason to log', () => {
    const { exec, failed } = setup('vu');
    exec.test.fail();
    exec.test.fail('a custom reason');
    expect(failed).toEqual(['test marked as failed', 'test marked as failed: a custom reason']);
  });

  it('TestOptionsTestSetPropertyDenied: test.options cannot be changed', () => {
    const { exec } = setup('vu');
    expect(() => {
      exec.test.options.paused = false;
    }).toThrow(TypeError);
    expect(exec.test.options.paused).toBe(true);
  });

  it('TestScenarioNoAvailableInInitContext: scenario fields throw outside a scenario iteration', () => {
    for (const phase of ['init', 'setup'] as const) {
      const { exec } = setup(phase, { scenario: false });
      for (const prop of ['name', 'executor', 'startTime', 'progress', 'iterationInInstance', 'iterationInTest']) {
        expect(() => exec.scenario[prop]).toThrow('getting scenario information outside of the VU context is not supported');
      }
    }
  });

  it('TestOptionsNoAvailableInInitContext: test.options throws in the init context', () => {
    const { exec } = setup('init');
    expect(() => exec.test.options).toThrow('getting test options in the init context is not supported');
  });

  it('TestVUDefaultDetails: outside an iteration the VU\'s ids and iteration numbers are 0', () => {
    const { exec } = setup('setup', { id: 0, scenario: false });
    expect(['idInInstance', 'idInTest', 'iterationInInstance', 'iterationInScenario'].map((p) => exec.vu[p])).toEqual([0, 0, 0, 0]);
  });
});

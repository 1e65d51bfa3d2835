// k6/execution: lazy getters over the running VU and its instance, as k6 exposes them. Reading what
// does not exist yet throws, as in k6 and with its messages: most fields in the init context,
// `scenario` also in setup and teardown.
import { ScriptAbort } from '../vu/interrupt.ts';
import { goError } from '../vu/go-error.ts';
import type { VuHost } from '../vu/vu-host.ts';
import type { VuExecutionView } from '../vu/vu.ts';
import type { ExecutionFacts } from '../vu/vu-services.ts';

/** k6's optionsAsObject deletes the execution shortcuts from test.options. */
function withoutShortcuts<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const key of ['vus', 'iterations', 'duration', 'stages']) delete (v as Record<string, unknown>)[key];
  }
  return v;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

/** k6's check on a value written to vu.tags or vu.metrics.metadata (js/common/tags.go). */
function tagValue(kind: 'tag' | 'metadata', key: string, v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new TypeError(kind === 'tag'
    ? `invalid value for metric tag '${key}': only String, Boolean and Number types are accepted as a metric tag values`
    : `invalid value for metric metadata '${key}': only String, Boolean and Number types are accepted as a metric metadata value`);
}

/** A read/write view of a string map whose writes validate values and invalidate the VU's tag cache. */
function tagObject(kind: 'tag' | 'metadata', target: Record<string, string>, builtin: () => Readonly<Record<string, string>>, changed: () => void): object {
  return new Proxy(target, {
    get: (t, key) => (typeof key === 'string' ? (key in t ? t[key] : builtin()[key]) : undefined),
    set: (t, key, value) => {
      if (typeof key !== 'string') return false;
      t[key] = tagValue(kind, key, value);
      changed();
      return true;
    },
    deleteProperty: (t, key) => {
      if (typeof key === 'string') delete t[key];
      changed();
      return true;
    },
    has: (t, key) => typeof key === 'string' && (key in t || key in builtin()),
    ownKeys: (t) => [...new Set([...Object.keys(builtin()), ...Object.keys(t)])],
    getOwnPropertyDescriptor: (t, key) => {
      if (typeof key !== 'string') return undefined;
      const value = key in t ? t[key] : builtin()[key];
      return value === undefined ? undefined : { value, enumerable: true, configurable: true, writable: true };
    },
  });
}

/**
 * `toScript` copies JSON data into the script realm: test.options is a plain object of the script's
 * realm (`instanceof Object`), as k6 builds it with the runtime's JSON.parse.
 */
export function createExecutionModule(
  host: VuHost, vu: VuExecutionView, facts: ExecutionFacts, toScript: (json: string) => unknown,
): Record<string, unknown> {
  // k6's messages name the object, not the field (execution.go); they are Go errors, GoErrors to the script.
  const notInInit = (what: 'VU' | 'instance'): void => {
    if (vu.phase === 'init') throw goError(`getting ${what} information in the init context is not supported`);
  };
  const inScenario = (): void => {
    if (vu.phase !== 'vu' || vu.scenario === undefined) {
      throw goError('getting scenario information outside of the VU context is not supported');
    }
  };

  const segment = (host.options as { executionSegment?: unknown }).executionSegment;
  const wholeTest = segment === undefined || segment === null || segment === '' || segment === '0:1';
  // k6's vu.iterationInScenario: this VU's own iterations in each scenario, counted from 0.
  const ownIterations = new Map<string, number>();
  host.lifecycle.onIterationStart(() => {
    const s = vu.scenario;
    if (vu.phase === 'vu' && s !== undefined) ownIterations.set(s.name, (ownIterations.get(s.name) ?? -1) + 1);
  });

  const instance = Object.freeze({
    get iterationsCompleted() { notInInit('instance'); return facts.iterationsCompleted(); },
    get iterationsInterrupted() { notInInit('instance'); return facts.iterationsInterrupted(); },
    get vusActive() { notInInit('instance'); return facts.vusActive(); },
    get vusInitialized() { notInInit('instance'); return facts.vusInitialized(); },
    get currentTestRunDuration() {
      notInInit('instance');
      // k6 GetCurrentTestRunDuration: from just before setup(), so setup() and teardown() count.
      const start = facts.runStart();
      return start === 0 ? 0 : Date.now() - start;
    },
  });

  const scenarioFacts = () => {
    const s = vu.scenario;
    const f = s === undefined ? undefined : facts.scenario(s.name);
    return { s, f };
  };
  const scenario = Object.freeze({
    get name() { inScenario(); return vu.scenario?.name ?? ''; },
    get executor() { inScenario(); return vu.scenario?.executor ?? ''; },
    get startTime() { inScenario(); return scenarioFacts().f?.startTime ?? 0; },
    get progress() { inScenario(); return scenarioFacts().f?.progress ?? 0; },
    // k6 counts the scenario's iterations of the whole instance: with no --execution-segment that is
    // the test's count (the worker threads are not instances).
    get iterationInInstance() { inScenario(); return wholeTest ? vu.iterationInTest : vu.iterationInScenario; },
    get iterationInTest() { inScenario(); return vu.iterationInTest; },
  });

  const builtinTags = (): Record<string, string> => {
    const t: Record<string, string> = { ...host.state.tags };
    for (const k of Object.keys(vu.customTags)) delete t[k];
    return t;
  };
  const tags = tagObject('tag', vu.customTags, builtinTags, () => vu.invalidateTags());
  // k6 VU.Activate and each iteration put the `vu` and `iter` system tags, when enabled, into the VU's
  // metadata (they are never indexed tags): the VU keeps them, its samples carry them.
  const builtinMetadata = (): Readonly<Record<string, string>> => vu.systemMetadata;
  const metadata = tagObject('metadata', vu.metadata, builtinMetadata, () => vu.invalidateMetadata());

  const vuObject = Object.freeze({
    get idInInstance() { notInInit('VU'); return vu.id; },
    get idInTest() { notInInit('VU'); return vu.idInTest; },
    get iterationInInstance() { notInInit('VU'); return Math.max(0, vu.iteration); },
    // 0 before the VU's first scenario iteration (setup and teardown included), as in k6.
    get iterationInScenario() { notInInit('VU'); return vu.phase === 'vu' && vu.scenario !== undefined ? (ownIterations.get(vu.scenario.name) ?? 0) : 0; },
    get tags() { notInInit('VU'); return tags; },
    set tags(_v: unknown) { throw new TypeError('vu.tags cannot be replaced; set its keys instead'); },
    metrics: Object.freeze({
      get tags() { notInInit('VU'); return tags; },
      get metadata() { notInInit('VU'); return metadata; },
    }),
  });

  // The messages are k6's abort reasons (errext.AbortTest, errext.MarkedAsFailedTest), with the
  // script's message appended when it gave one.
  const reason = (base: string, message: unknown): string => (message === undefined || message === null ? base : `${base}: ${String(message)}`);
  let options: unknown;
  const test = Object.freeze({
    abort(message?: unknown): never {
      const e = new ScriptAbort(reason('test aborted', message));
      // The stack starts at abort's caller: the frame k6 names after the reason (vu/exception-text.ts).
      Error.captureStackTrace(e, test.abort);
      throw e;
    },
    fail(message?: unknown): void {
      if (vu.phase === 'init') throw goError('execution.test.fail() called outside of VU context');
      facts.failTest(reason('test marked as failed', message));
    },
    get options() {
      if (vu.phase === 'init') throw goError('getting test options in the init context is not supported');
      options ??= deepFreeze(withoutShortcuts(toScript(JSON.stringify(facts.testOptions()))));
      return options;
    },
  });

  const mod = { instance, scenario, vu: vuObject, test };
  return { ...mod, default: mod };
}

import type { Tags, VuHost, VuOptions, VuState } from '../vu/vu-host.ts';

// A VuHost for tests: records samples and logs, and lets the test drive the VU lifecycle.

export interface RecordedSample {
  readonly metric: string;
  readonly tags: Tags;
  readonly value: number;
}

export interface FakeHost extends VuHost {
  readonly recorded: RecordedSample[];
  readonly logs: { level: string; msg: string; fields?: Readonly<Record<string, string>> }[];
  readonly stateRef: { -readonly [K in keyof VuState]: VuState[K] };
  keepAlives: number;
  startIteration(): void;
  endIteration(): Promise<void>;
  close(): Promise<void>;
  abort(): void;
  samplesOf(metric: string): RecordedSample[];
}

export function createFakeHost(options: VuOptions = {}): FakeHost {
  const starts: (() => void)[] = [];
  const ends: (() => void | Promise<void>)[] = [];
  const closes: (() => void | Promise<void>)[] = [];
  const recorded: RecordedSample[] = [];
  const logs: { level: string; msg: string; fields?: Readonly<Record<string, string>> }[] = [];
  // Like the real VU, every call (here: every iteration) gets a fresh signal.
  let controller = new AbortController();
  const stateRef = {
    id: 1,
    idInTest: 1,
    iteration: -1,
    phase: 'vu' as VuState['phase'],
    groupPath: '',
    scenario: 'default',
    tags: { scenario: 'default', group: '' } as Tags,
  };
  const defined = new Map<string, { name: string; type: 'counter' | 'gauge' | 'rate' | 'trend'; contains: 'default' | 'time' | 'data' }>();
  const host: FakeHost = {
    recorded,
    logs,
    stateRef,
    keepAlives: 0,
    state: stateRef,
    options,
    samples: {
      add(metric, tags, value) {
        recorded.push({ metric, tags, value });
      },
      addMany(tags, samples) {
        for (const [metric, value] of samples) recorded.push({ metric, tags, value });
      },
    },
    metrics: {
      define(name, type, contains) {
        defined.set(name, { name, type, contains });
      },
      get: (name) => defined.get(name),
    },
    log: {
      debug: (msg, fields) => logs.push({ level: 'debug', msg, ...(fields === undefined ? {} : { fields }) }),
      info: (msg, fields) => logs.push({ level: 'info', msg, ...(fields === undefined ? {} : { fields }) }),
      warn: (msg, fields) => logs.push({ level: 'warn', msg, ...(fields === undefined ? {} : { fields }) }),
      error: (msg, fields) => logs.push({ level: 'error', msg, ...(fields === undefined ? {} : { fields }) }),
    },
    lifecycle: {
      onIterationStart: (fn) => starts.push(fn),
      onIterationEnd: (fn) => ends.push(fn),
      onClose: (fn) => closes.push(fn),
    },
    // The VU sums every module's bytes into one pair per call; one module alone gives its own.
    countBytes(sent, received) {
      if (sent === 0 && received === 0) return;
      recorded.push({ metric: 'data_sent', tags: stateRef.tags, value: sent });
      recorded.push({ metric: 'data_received', tags: stateRef.tags, value: received });
    },
    block: (p) => p,
    blockCancellable: (p) => p,
    interruption: () => undefined,
    resumeHooks: false,
    get signal() {
      return controller.signal;
    },
    pause: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    keepAlive() {
      host.keepAlives++;
      let released = false;
      return () => {
        if (!released) {
          released = true;
          host.keepAlives--;
        }
      };
    },
    settleOnLoop<T>(p: Promise<T>): Promise<T> {
      const release = host.keepAlive();
      p.then(release, release);
      return p;
    },
    startIteration() {
      controller = new AbortController();
      stateRef.iteration++;
      for (const fn of starts) fn();
    },
    async endIteration() {
      for (const fn of ends) await fn();
    },
    async close() {
      for (const fn of closes) await fn();
    },
    abort() {
      controller.abort();
    },
    samplesOf: (metric) => recorded.filter((s) => s.metric === metric),
  };
  return host;
}

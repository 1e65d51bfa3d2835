// A VuHost for module tests: records samples and log lines, lets a test switch phases.
import type { MetricContains, MetricType, Tags, VuHost, VuState } from '../vu/vu-host.ts';

export interface RecordingHost extends VuHost {
  samples: VuHost['samples'] & { recorded: Array<{ metric: string; tags: Tags; value: number }> };
  warnings: string[];
  setPhase(phase: VuState['phase']): void;
  blocked: number;
}

export function recordingHost(options: Record<string, unknown> = {}): RecordingHost {
  const recorded: Array<{ metric: string; tags: Tags; value: number }> = [];
  const defs = new Map<string, { name: string; type: MetricType; contains: MetricContains }>();
  const warnings: string[] = [];
  let phase: VuState['phase'] = 'init';
  const host: RecordingHost = {
    get state() {
      return { id: 1, idInTest: 1, iteration: 0, phase, groupPath: '', scenario: 'default', tags: { scenario: 'default', group: '' } };
    },
    options,
    samples: {
      recorded,
      add: (metric, tags, value) => void recorded.push({ metric, tags, value }),
      addMany: (tags, list) => {
        for (const [metric, value] of list) recorded.push({ metric, tags, value });
      },
    },
    metrics: {
      define(name, type, contains) {
        const known = defs.get(name);
        if (known && known.type !== type) throw new Error(`metric ${name} already exists with type ${known.type}`);
        if (!known) defs.set(name, { name, type, contains });
      },
      get: (name) => defs.get(name),
    },
    log: { debug() {}, info() {}, warn: (m) => void warnings.push(m), error: (m) => void warnings.push(m) },
    lifecycle: { onIterationStart() {}, onIterationEnd() {}, onClose() {} },
    countBytes(sent, received) {
      if (sent === 0 && received === 0) return;
      recorded.push({ metric: 'data_sent', tags: host.state.tags, value: sent });
      recorded.push({ metric: 'data_received', tags: host.state.tags, value: received });
    },
    block<T>(p: Promise<T>) {
      host.blocked++;
      return p;
    },
    blockCancellable<T>(p: Promise<T>) {
      host.blocked++;
      return p;
    },
    interruption: () => undefined,
    resumeHooks: true,
    signal: new AbortController().signal,
    pause: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    keepAlive: () => () => {},
    settleOnLoop: <T>(p: Promise<T>) => p,
    warnings,
    setPhase(p) {
      phase = p;
    },
    blocked: 0,
  };
  return host;
}

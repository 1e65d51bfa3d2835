import { describe, expect, it } from 'vitest';
import { lineSigner, lineVerifier, newRunnerKey } from './signed-lines.ts';

describe('signed runner lines', () => {
  it('accepts lines signed with the run key, in order, and nothing forged or replayed', () => {
    const key = newRunnerKey();
    const sign = lineSigner(key);
    const verify = lineVerifier(key);
    const first = sign({ type: 'status', phase: 'running' }).trim();
    const second = sign({ type: 'finished', exitCode: 0, summaryData: {}, thresholds: {}, checks: [], testRunDurationMs: 5 }).trim();
    expect(verify(first)).toEqual({ type: 'status', phase: 'running' });
    expect(verify(second)).toMatchObject({ type: 'finished', exitCode: 0 });
    expect(verify(first)).toBeNull();
    expect(verify('{"type":"finished","exitCode":0}')).toBeNull();
    const forged = lineSigner(newRunnerKey())({ type: 'error', message: 'x', exitCode: 1 }).trim();
    expect(verify(forged)).toBeNull();
    const tampered = sign({ type: 'status', phase: 'done' }).trim().replace('done', 'running');
    expect(verify(tampered)).toBeNull();
  });
});

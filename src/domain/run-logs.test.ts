import { describe, expect, it } from 'vitest';
import { droppedLinesMessage, runLogLine, RUN_LOG_MESSAGE_MAX } from './run-logs.ts';

describe('run log lines', () => {
  it('keeps k6 cloud’s labels and writes other fields after the message, sorted, as k6’s Loki hook does', () => {
    expect(runLogLine('Request Failed', { source: 'console', error: 'dial tcp: refused', url: 'http://x/' }, { testRunId: 7, loadZone: 'amazon:us:ashburn', instanceId: 1 })).toEqual({
      message: 'Request Failed error=dial tcp: refused url=http://x/',
      labels: { test_run_id: '7', lz: 'amazon:us:ashburn', instance_id: '1', source: 'console' },
    });
    expect(runLogLine('hi', {}, { testRunId: 3 })).toEqual({ message: 'hi', labels: { test_run_id: '3' } });
  });

  it('cuts a huge message and says how much', () => {
    const { message } = runLogLine('x'.repeat(RUN_LOG_MESSAGE_MAX + 5), {}, { testRunId: 1 });
    expect(message.endsWith('… [5 characters cut]')).toBe(true);
    expect(droppedLinesMessage(1, 10)).toBe('1 more log line was dropped: a run keeps at most 10 (STAMPEDE_RUN_LOG_LINES)');
  });

  it('says a runner dropped the lines when they were over its rate, not past the run\'s cap', () => {
    // A script logging 60,000 lines a second kept 1,758 lines of 20,000 and was told the cap dropped the rest.
    expect(droppedLinesMessage(0, 20000, 892298)).toBe('892298 more log lines were dropped: a runner sends at most 1000 a second');
    expect(droppedLinesMessage(5, 20000, 7)).toBe('12 more log lines were dropped: a runner sends at most 1000 a second (7) and a run keeps at most 20000 (STAMPEDE_RUN_LOG_LINES) (5)');
  });
});

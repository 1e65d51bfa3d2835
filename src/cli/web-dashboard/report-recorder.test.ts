import { describe, expect, it } from 'vitest';
import { Recorder } from './web-dashboard.ts';
import type { DashboardEvent } from './dashboard-feed.ts';

const ev = (name: DashboardEvent['name'], data: unknown): DashboardEvent => ({ name, data });

describe('the HTML report recorder', () => {
  it('keeps the last cumulative and a threshold event only when it followed that cumulative', () => {
    const r = new Recorder();
    r.record(ev('config', {}));
    r.record(ev('param', { thresholds: { http_req_duration: ['p(95)<1'] } }));
    r.record(ev('start', [[0]]));
    r.record(ev('cumulative', [[1]]));
    r.record(ev('threshold', { http_req_duration: ['p(95)<1'] }));
    r.record(ev('snapshot', [[1]]));
    // The threshold passes again: the next period's cumulative comes without a threshold event.
    r.record(ev('cumulative', [[2]]));
    r.record(ev('snapshot', [[2]]));
    r.record(ev('stop', [[3]]));
    const names = r.all().map((e) => e.name);
    expect(names).toEqual(['param', 'start', 'snapshot', 'snapshot', 'stop', 'cumulative']);
    expect(r.all().at(-1)?.data).toEqual([[2]]);
    expect(r.snapshots).toBe(2);
  });

  it('reports a threshold that still fails at the end', () => {
    const r = new Recorder();
    r.record(ev('cumulative', [[1]]));
    r.record(ev('cumulative', [[2]]));
    r.record(ev('threshold', { checks: ['rate>0.99'] }));
    expect(r.all().map((e) => e.name)).toEqual(['cumulative', 'threshold']);
  });
});

import { describe, expect, it } from 'vitest';
import { dashboardOptions, dashboardUrl, eventPeriodMs, listenAddress } from './dashboard-options.ts';

describe('web dashboard options (xk6-dashboard envopts/getopts)', () => {
  it("defaults: every interface on 5665, 10 s period, no export, the group tag; the URL says 127.0.0.1", () => {
    const o = dashboardOptions('', {});
    expect(o).toEqual({ port: 5665, host: '', periodMs: 10_000, open: false, export: '', record: '', tags: ['group'] });
    expect(listenAddress(o)).toEqual({ host: undefined, port: 5665 });
    expect(dashboardUrl(o)).toBe('http://127.0.0.1:5665');
  });

  it('K6_WEB_DASHBOARD_* variables, then the output argument over them', () => {
    const env = {
      K6_WEB_DASHBOARD_PORT: '6000', K6_WEB_DASHBOARD_HOST: '127.0.0.1', K6_WEB_DASHBOARD_PERIOD: '2s',
      K6_WEB_DASHBOARD_OPEN: 'true', K6_WEB_DASHBOARD_EXPORT: 'env.html', K6_WEB_DASHBOARD_TAGS: 'scenario',
      K6_WEB_DASHBOARD_RECORD: 'env.ndjson',
    };
    expect(dashboardOptions('', env)).toEqual({ port: 6000, host: '127.0.0.1', periodMs: 2000, open: true, export: 'env.html', record: 'env.ndjson', tags: ['scenario'] });
    const q = dashboardOptions('port=7000&period=1m30s&export=out%20dir/r.html&tags=name,method&host=&record=q.ndjson.gz', env);
    expect(q).toMatchObject({ port: 7000, host: '127.0.0.1', periodMs: 90_000, export: 'out dir/r.html', record: 'q.ndjson.gz', tags: ['scenario', 'name', 'method'] });
    // `tag` replaces the list; `open` alone opens; `report` is export's older name, export wins.
    expect(dashboardOptions('tag=a&tag=b&open&report=r.html', {})).toMatchObject({ tags: ['a', 'b'], open: true, export: 'r.html' });
    expect(dashboardOptions('report=r.html&export=e.html', {}).export).toBe('e.html');
    expect(dashboardOptions('', { K6_WEB_DASHBOARD_REPORT: 'r.html' }).export).toBe('r.html');
    // Only "true" opens from the environment.
    expect(dashboardOptions('', { K6_WEB_DASHBOARD_OPEN: '1' }).open).toBe(false);
  });

  it("a port of -1 means no server (the export still works) and an empty URL; 0 any free port", () => {
    const off = dashboardOptions('export=r.html', { K6_WEB_DASHBOARD_PORT: '-1' });
    expect(listenAddress(off)).toBeUndefined();
    expect(dashboardUrl(off)).toBe('');
    expect(off.export).toBe('r.html');
    expect(listenAddress(dashboardOptions('port=0&host=127.0.0.1', {}))).toEqual({ host: '127.0.0.1', port: 0 });
    expect(dashboardUrl(dashboardOptions('host=::1', {}), 1234)).toBe('http://[::1]:1234');
  });

  it("bad values fail with k6's texts", () => {
    expect(() => dashboardOptions('', { K6_WEB_DASHBOARD_PORT: 'abc' })).toThrow('strconv.Atoi: parsing "abc": invalid syntax');
    expect(() => dashboardOptions('port=1.5', {})).toThrow('strconv.Atoi: parsing "1.5": invalid syntax');
    expect(() => dashboardOptions('', { K6_WEB_DASHBOARD_PERIOD: '10' })).toThrow(/^invalid duration$/);
    expect(() => dashboardOptions('period=1d', {})).toThrow(/^invalid duration$/);
    expect(() => dashboardOptions('port=1;period=2s', {})).toThrow('invalid semicolon separator in query');
    expect(() => dashboardOptions('export=%zz', {})).toThrow('invalid URL escape "%zz"');
    // The variables are read first: a bad one fails even when the argument sets the same option.
    expect(() => dashboardOptions('port=1', { K6_WEB_DASHBOARD_PORT: 'x' })).toThrow('strconv.Atoi');
  });

  it('the event period grows in whole periods so that a run sends at most 2880 snapshots', () => {
    const o = dashboardOptions('period=10s', {});
    expect(eventPeriodMs(o, 0)).toBe(10_000);
    expect(eventPeriodMs(o, 60_000)).toBe(10_000);
    expect(eventPeriodMs(o, 8 * 3_600_000)).toBe(10_000);
    expect(eventPeriodMs(o, 9 * 3_600_000)).toBe(20_000);
  });
});

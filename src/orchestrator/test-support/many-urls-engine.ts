// Test stand-in engine (spawnRunner's `engineModule`) whose run requests many distinct URLs: each
// batch carries `http_reqs` and `http_req_duration` series for `urlsPerBatch` URLs never seen before
// (tagged `name` = the URL, as k6 tags unnamed requests) plus as many dynamic URLs that share one
// `name` ("item"). The "script" is JSON: {batches?, urlsPerBatch?, intervalMs?}. Never used outside tests.
// Structural types only (the runner's engine port is not on its public entry).

export interface ManyUrlsScript {
  batches?: number;
  urlsPerBatch?: number;
  intervalMs?: number;
}

interface Io { stderr: { write(s: string): void } }

export async function loadTest(input: { name: string; data: Uint8Array }, _flags: unknown, io: Io): Promise<unknown> {
  const script = JSON.parse(Buffer.from(input.data).toString('utf8')) as ManyUrlsScript;
  const batches = script.batches ?? 5;
  const perBatch = script.urlsPerBatch ?? 300;
  const intervalMs = script.intervalMs ?? 50;
  const durationMs = batches * intervalMs + 400;
  return {
    options: { vus: 1, duration: `${durationMs}ms` },
    plan: { maxVUs: 1, maxPlannedVUs: 1, totalDurationMs: durationMs },
    warnings: [],
    start() {
      const listeners: ((batch: unknown) => void)[] = [];
      const started = Date.now();
      let sent = 0;
      let requests = 0;
      let finish: (r: unknown) => void = () => {};
      const result = new Promise((res) => { finish = res; });
      const metrics = [
        { name: 'http_reqs', type: 'counter', contains: 'default' },
        { name: 'http_req_duration', type: 'trend', contains: 'time' },
      ];
      const tick = setInterval(() => {
        const series: unknown[] = [];
        for (let i = 0; i < perBatch; i++) {
          const n = sent * perBatch + i;
          const common = { method: 'GET', status: '200', expected_response: 'true', scenario: 'default' };
          const unnamed = { ...common, url: `http://127.0.0.1/u/${n}`, name: `http://127.0.0.1/u/${n}` };
          const named = { ...common, url: `http://127.0.0.1/item/${n}`, name: 'item' };
          for (const tags of [unnamed, named]) {
            series.push({ metric: 'http_reqs', tags, counter: { sum: 1 } });
            series.push({ metric: 'http_req_duration', tags, trend: { count: 1, sum: n % 50, min: n % 50, max: n % 50, values: [n % 50] } });
            requests++;
          }
        }
        sent++;
        const batch = { time: started + sent * 1000, metrics, series };
        for (const l of listeners) l(batch);
        // Ends a moment after the last batch: the runner exits right after `finished`, and a large
        // batch still in its stdout pipe can be lost with it (runner-main exits without draining stdout).
        if (sent >= batches) {
          clearInterval(tick);
          setTimeout(() => end(), 300);
        }
      }, intervalMs);
      const end = (abortReason?: string): void => {
        clearInterval(tick);
        io.stderr.write('many-urls engine ended\n');
        finish({
          exitCode: abortReason === undefined ? 0 : 105,
          ...(abortReason === undefined ? {} : { abortReason }),
          summaryData: { metrics: { http_reqs: { type: 'counter', contains: 'default', values: { count: requests } } }, root_group: { name: '', path: '', checks: [], groups: [] } },
          testRunDurationMs: Date.now() - started,
        });
      };
      return {
        abort: (reason: string) => end(reason),
        onMetrics: (cb: (batch: unknown) => void) => { listeners.push(cb); },
        progress: () => ({ vus: 1, iterations: requests, elapsedMs: Date.now() - started }),
        result,
      };
    },
  };
}

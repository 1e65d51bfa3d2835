// The numbers `stampede cloud run` shows while a run executes, read from the server's v5-shaped
// metrics API: VUs now, requests per second over the last few seconds, and p95 of http_req_duration
// so far. Each is best effort: a run that has stored nothing yet simply shows "-".
import type { ApiClient } from './api-client.ts';

export interface LiveFigures {
  vus?: number;
  rps?: number;
  p95?: number;
}

// Stored seconds settle a couple of seconds late (the control plane merges each second's batches), so
// "now" is the window [now − 6 s, now − 2 s).
const RECENT_FROM_S = 6;
const RECENT_TO_S = 2;

async function aggregate(client: ApiClient, runId: number, query: string, metric: string, window?: [number, number]): Promise<number | undefined> {
  const args = [`query='${query}'`, `metric='${metric}'`, ...(window === undefined ? [] : [`start=${window[0]}`, `end=${window[1]}`])].join(',');
  try {
    const answer = await client.json<{ data?: { result?: Array<{ values?: Array<[number, number | string]> }> } }>(
      `/cloud/v5/test_runs/${runId}/query_aggregate_k6(${encodeURIComponent(args)})`,
    );
    const point = answer?.data?.result?.[0]?.values?.at(-1);
    const value = point === undefined ? undefined : Number(point[1]);
    return value === undefined || !Number.isFinite(value) ? undefined : value;
  } catch {
    return undefined;
  }
}

export async function liveFigures(client: ApiClient, runId: number, nowMs: number): Promise<LiveFigures> {
  const nowS = Math.floor(nowMs / 1000);
  const recent: [number, number] = [nowS - RECENT_FROM_S, nowS - RECENT_TO_S];
  const [vus, rps, p95] = await Promise.all([
    aggregate(client, runId, 'last', 'vus', recent),
    aggregate(client, runId, 'rate', 'http_reqs', recent),
    aggregate(client, runId, 'histogram_quantile(0.95)', 'http_req_duration'),
  ]);
  return { vus, rps, p95 };
}

export function formatFigures(f: LiveFigures): string {
  const num = (v: number | undefined, digits: number, unit = '') => (v === undefined ? '-' : `${v.toFixed(digits)}${unit}`);
  return `vus=${num(f.vus, 0)} reqs/s=${num(f.rps, 1)} p95=${num(f.p95, 2, 'ms')}`;
}

// A client of k6's REST API v1 (k6 api/v1/client CallAPI, Status, SetStatus, Metrics) for the `stats`,
// `status`, `pause`, `resume` and `scale` commands: JSON:API in and out, an API error answered as its
// first error's "title: detail", a transport failure worded as Go's http.Client words it.
import * as http from 'node:http';

/** v1.Status as the API returns it (null where a null.* field is not valid). */
export interface ApiStatus {
  readonly status: number;
  readonly paused: boolean | null;
  readonly vus: number | null;
  readonly 'vus-max': number | null;
  readonly stopped: boolean;
  readonly running: boolean;
  readonly tainted: boolean;
}

/** The fields of a status patch; the rest go as v1.Status' zero values, as k6's client sends them. */
export interface StatusPatchRequest {
  paused?: boolean;
  vus?: number;
  vusMax?: number;
}

type Method = 'GET' | 'PATCH';

function transportError(method: Method, url: string, host: string, e: NodeJS.ErrnoException): string {
  const reason: Record<string, string> = {
    ECONNREFUSED: 'connect: connection refused',
    ECONNRESET: 'read: connection reset by peer',
    ENOTFOUND: 'no such host',
  };
  const r = e.code === undefined ? undefined : reason[e.code];
  const verb = method === 'GET' ? 'Get' : 'Patch';
  // Go names the address it dialled (localhost resolved); node gives it on a refused connection.
  const dialled = e as NodeJS.ErrnoException & { address?: string; port?: number };
  const ip = dialled.address === undefined ? undefined : dialled.address.includes(':') ? `[${dialled.address}]` : dialled.address;
  const target = ip === undefined || dialled.port === undefined ? host : `${ip}:${dialled.port}`;
  return r === undefined ? `${verb} "${url}": ${e.message}` : `${verb} "${url}": dial tcp ${target}: ${r}`;
}

/**
 * One call to `path` of the API at `address`. node:http rather than fetch, which refuses ports such
 * as 6666 that a REST API may listen on.
 */
export function callRestApi(method: Method, address: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  const url = `http://${address}${path}`;
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => reject(new Error(transportError(method, url, address, e))));
    });
    req.on('error', (e) => reject(new Error(transportError(method, url, address, e))));
    req.end(body);
  });
}

function statusOf(text: string, httpStatus: number): ApiStatus {
  const doc = JSON.parse(text) as {
    data?: { attributes?: Partial<ApiStatus> | null } | null;
    errors?: Array<{ title?: string; detail?: string }>;
  };
  if (httpStatus >= 400) {
    const first = doc.errors?.[0];
    throw new Error(`${first?.title ?? ''}: ${first?.detail ?? ''}`);
  }
  const a = doc.data?.attributes ?? {};
  return {
    status: a.status ?? 0,
    paused: a.paused ?? null,
    vus: a.vus ?? null,
    'vus-max': a['vus-max'] ?? null,
    stopped: a.stopped ?? false,
    running: a.running ?? false,
    tainted: a.tainted ?? false,
  };
}

/** GET /v1/status. */
export async function getStatus(address: string): Promise<ApiStatus> {
  const res = await callRestApi('GET', address, '/v1/status');
  return statusOf(res.text, res.status);
}

/** PATCH /v1/status with k6's envelope (v1.NewStatusJSONAPI): the new status, or the API's error. */
export async function patchStatus(address: string, patch: StatusPatchRequest): Promise<ApiStatus> {
  const attributes = {
    status: 0,
    paused: patch.paused ?? null,
    vus: patch.vus ?? null,
    'vus-max': patch.vusMax ?? null,
    stopped: false,
    running: false,
    tainted: false,
  };
  const res = await callRestApi('PATCH', address, '/v1/status', JSON.stringify({ data: { type: 'status', id: 'default', attributes } }));
  return statusOf(res.text, res.status);
}

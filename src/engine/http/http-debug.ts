import type { VuLogger } from '../vu/vu-host.ts';

// `httpDebug: "headers" | "full"` (`--http-debug`): dumps each round trip the way Go's
// httputil.DumpRequestOut/DumpResponse lay it out, through the VU logger at info level.

export type HttpDebugMode = '' | 'headers' | 'full';

export function toHttpDebugMode(v: unknown): HttpDebugMode {
  if (v === 'full') return 'full';
  if (v === 'headers' || v === true) return 'headers';
  return '';
}

export function logRequestDump(
  log: VuLogger,
  mode: HttpDebugMode,
  method: string,
  url: URL,
  headers: readonly string[],
  body: string | Uint8Array | null,
): void {
  let text = `Request:\n${method} ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n`;
  for (let i = 0; i + 1 < headers.length; i += 2) text += `${headers[i]}: ${headers[i + 1]}\r\n`;
  text += '\r\n';
  if (mode === 'full' && body !== null) text += typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  log.info(text);
}

export function logResponseDump(
  log: VuLogger,
  mode: HttpDebugMode,
  proto: string,
  status: number,
  statusText: string,
  headers: Readonly<Record<string, string>>,
  body: string | ArrayBuffer | null,
): void {
  let text = `Response:\n${proto} ${status} ${statusText}\r\n`;
  for (const [k, v] of Object.entries(headers)) text += `${k}: ${v}\r\n`;
  text += '\r\n';
  if (mode === 'full' && body !== null) text += typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  log.info(text);
}

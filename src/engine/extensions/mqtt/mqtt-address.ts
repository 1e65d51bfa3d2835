// Broker URLs as paho reads them (AddBroker, openConnection) and the check xk6-mqtt makes before
// connecting (validateAddress: k6's dialer resolves the URL's host, so `hosts`, `blockHostnames` and
// `blacklistIPs` apply; the connection itself is dialled by the MQTT client, outside k6's dialer).
import type { ConnectionSettings } from '../../http/vu-connections.ts';
import { resolveAddr } from '../dialer-rules.ts';

export type BrokerScheme = 'mqtt' | 'mqtts' | 'ws' | 'wss';

export interface BrokerAddress {
  readonly scheme: BrokerScheme;
  readonly host: string;
  readonly port: number;
  /** The path of a WebSocket URL ("/mqtt"). */
  readonly path: string;
}

const SCHEMES: Readonly<Record<string, BrokerScheme>> = {
  mqtt: 'mqtt', tcp: 'mqtt', mqtts: 'mqtts', ssl: 'mqtts', tls: 'mqtts', tcps: 'mqtts', 'mqtt+ssl': 'mqtts', ws: 'ws', wss: 'wss',
};

/** paho's AddBroker: ":port" is 127.0.0.1, a URL without a scheme is `tcp://`. */
function normalized(raw: string): string {
  const server = raw.startsWith(':') ? `127.0.0.1${raw}` : raw;
  return server.includes('://') ? server : `tcp://${server}`;
}

/** A broker URL, or the text of paho's failure to dial it. */
export function brokerAddress(raw: string): BrokerAddress | { error: string } {
  const server = normalized(raw);
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/.exec(server);
  if (m === null) return { error: 'unknown protocol' };
  const scheme = SCHEMES[(m[1] ?? '').toLowerCase()];
  if (scheme === undefined) return { error: 'unknown protocol' };
  const authority = (m[2] ?? '').replace(/^.*@/, '');
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
  const host = (hp?.[1] ?? '').replace(/^\[|\]$/g, '');
  const portText = hp?.[2];
  let port: number;
  if (portText !== undefined && portText !== '') {
    port = Number(portText);
  } else if (scheme === 'ws' || scheme === 'wss') {
    port = scheme === 'ws' ? 80 : 443;
  } else {
    return { error: `dial tcp: address ${authority}: missing port in address` };
  }
  const rest = m[3] ?? '';
  const path = rest.replace(/[?#].*$/, '');
  return { scheme, host, port, path: path === '' ? '/' : path };
}

/** The host part of a broker URL (Go's u.Host), or "" when there is none. */
function urlHost(raw: string): string {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(normalized(raw));
  return (m?.[1] ?? '').replace(/^.*@/, '');
}

function splitHost(hostport: string): string {
  const hp = /^(\[[^\]]*\]|[^:]*)(?::\d*)?$/.exec(hostport);
  return (hp?.[1] ?? hostport).replace(/^\[|\]$/g, '');
}

/**
 * k6's ResolveAddr of the URL's host: undefined when allowed, else the dialer's error text
 * (`hostname (x) is in a blocked pattern (p)`, `IP (i) is in a blacklisted range (r)`, `lookup x: no such host`).
 */
export function checkBrokerHost(url: string, settings: ConnectionSettings): Promise<string | undefined> {
  const hostport = urlHost(url);
  const host = splitHost(hostport);
  if (host === '') return Promise.resolve('lookup : no such host');
  const port = /:(\d+)$/.exec(hostport)?.[1];
  return resolveAddr(settings, host, port).then(() => undefined, (err: Error) => err.message);
}

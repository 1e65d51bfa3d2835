// One query/answer over UDP as xk6-dns's k6DNSClient.ExchangeContext does it: a connected UDP socket
// through the VU's dialer (blacklistIPs applies to the nameserver), one datagram out, the first one
// back (up to 4096 bytes, the message ID not checked), a 5 s deadline; errors in Go's words.
import * as dgram from 'node:dgram';
import { blacklistedIpText, blacklistedRange } from '../dialer-rules.ts';
import type { Nameserver } from './dns-nameserver.ts';
import { nameserverAddr } from './dns-nameserver.ts';

const DNS_TIMEOUT_MS = 5_000;
const MAX_RESPONSE = 4096;

export interface ExchangeResult {
  readonly response: Uint8Array;
  readonly sent: number;
  readonly received: number;
}

/** A failure with the bytes moved so far (they still count as data_sent/data_received). */
export class ExchangeError extends Error {
  constructor(message: string, readonly sent: number) {
    super(message);
  }
}

export function exchange(packet: Uint8Array, ns: Nameserver, blacklistIPs: readonly string[] | undefined, signal: AbortSignal): Promise<ExchangeResult> {
  const range = blacklistedRange(blacklistIPs, ns.ip);
  if (range !== undefined) return Promise.reject(new ExchangeError(blacklistedIpText(ns.ip, range), 0));
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(ns.family === 6 ? 'udp6' : 'udp4');
    let sent = 0;
    let settled = false;
    let local = '';
    const remote = nameserverAddr(ns);
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.close();
      fn();
    };
    const readFailed = (why: string): void => finish(() => reject(new ExchangeError(
      `unable to receive response DNS packet; reason: read udp ${local}->${remote}: ${why}`, sent,
    )));
    const timer = setTimeout(() => readFailed('i/o timeout'), DNS_TIMEOUT_MS);
    const onAbort = (): void => finish(() => reject(new ExchangeError('context canceled', sent)));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') readFailed('read: connection refused');
      else finish(() => reject(new ExchangeError(`dial udp ${remote}: ${err.message}`, sent)));
    });
    socket.on('message', (msg) => {
      const data = msg.subarray(0, MAX_RESPONSE);
      finish(() => resolve({ response: data, sent, received: data.length }));
    });
    socket.connect(ns.port, ns.ip, () => {
      const a = socket.address();
      local = a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
      socket.send(packet, (err) => {
        if (err) {
          finish(() => reject(new ExchangeError(`unable to send request DNS packet; reason: write udp ${local}->${remote}: ${err.message}`, 0)));
          return;
        }
        sent = packet.length;
      });
    });
  });
}

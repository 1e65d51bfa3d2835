// One MQTT 3.1.1 connection through mqtt.js, set up as xk6-mqtt sets up paho: a clean session, the
// will, credentials and client id of the Client, keepalive and connect timeout of connect(), no
// resubscription after an automatic reconnect, and k6's TLS options (insecureSkipTLSVerify,
// tlsVersion, tlsCipherSuites, tlsAuth) for mqtts/ssl/tls/wss. mqtt.js is loaded when a script
// imports k6/x/mqtt. Failures are worded as paho words them ("network Error : dial tcp …").
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type * as MqttJs from 'mqtt';
import { tlsClientOptions, type ConnectionSettings } from '../../http/vu-connections.ts';
import { dialErrorText } from '../../ws/ws-errors.ts';
import type { BrokerAddress } from './mqtt-address.ts';
import type { WillOptions } from './mqtt-options.ts';

export type MqttSession = MqttJs.MqttClient;

const require = createRequire(import.meta.url);
let lib: typeof MqttJs | undefined;

export function mqttLib(): typeof MqttJs {
  lib ??= require('mqtt') as typeof MqttJs;
  return lib;
}

/** paho's defaults (NewClientOptions): 30 s keepalive, 30 s connect timeout; 1 s between automatic reconnects. */
export const DEFAULT_KEEPALIVE_S = 30;
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
export const RECONNECT_PERIOD_MS = 1000;

export interface SessionOptions {
  readonly clientId: string;
  readonly username?: string;
  readonly password?: string;
  readonly will?: WillOptions;
  readonly keepaliveS: number;
  readonly connectTimeoutMs: number;
}

/** paho's packets.ConnErrors for a refused CONNACK. */
const CONNACK_ERRORS: Readonly<Record<number, string>> = {
  1: 'unacceptable protocol version',
  2: 'identifier rejected',
  3: 'server Unavailable',
  4: 'bad user name or password',
  5: 'not Authorized',
};

/** A connected socket's addresses, as Go prints them ("127.0.0.1:50000"). */
export interface SocketEnds {
  readonly local: string;
  readonly remote: string;
}

/**
 * The text of a failed connection attempt, as paho's connect token gives it. `err` undefined: the
 * connect timeout passed, while dialling (no `socket`) or waiting for the CONNACK.
 */
export function connectErrorText(err: unknown, address: BrokerAddress, ends?: SocketEnds): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'number') return CONNACK_ERRORS[code] ?? `connack return code ${code}`;
  // mqtt.js reports its connect timeout as an error of its own.
  if (err === undefined || (err instanceof Error && err.message === 'connack timeout')) {
    if (ends === undefined) return `network Error : dial tcp ${hostForUrl(address.host)}:${address.port}: i/o timeout`;
    return `network Error : read tcp ${ends.local}->${ends.remote}: i/o timeout`;
  }
  return `network Error : ${dialErrorText(err, address.host, String(address.port))}`;
}

function clientOptions(opts: SessionOptions): MqttJs.IClientOptions {
  return {
    clientId: opts.clientId,
    protocolVersion: 4,
    clean: true,
    keepalive: opts.keepaliveS,
    connectTimeout: opts.connectTimeoutMs,
    reconnectPeriod: 0,
    resubscribe: false,
    ...(opts.username !== undefined ? { username: opts.username } : {}),
    ...(opts.password !== undefined ? { password: opts.password } : {}),
    ...(opts.will !== undefined
      ? { will: { topic: opts.will.topic, payload: Buffer.from(opts.will.payload), qos: opts.will.qos as 0 | 1 | 2, retain: opts.will.retain } }
      : {}),
  };
}

function hostForUrl(host: string): string {
  return net.isIP(host) === 6 ? `[${host}]` : host;
}

/**
 * Connects to one broker; resolves once the CONNACK accepted the session, rejects with paho's text.
 * The session then reconnects by itself (every second) when the connection is lost.
 */
export function openSession(address: BrokerAddress, opts: SessionOptions, settings: ConnectionSettings): Promise<MqttSession> {
  const mqtt = mqttLib();
  let lastError: unknown;
  let ends: SocketEnds | undefined;
  const base = clientOptions(opts);
  let session: MqttSession;
  const secureOptions = { ...tlsClientOptions(settings, address.host), ...(net.isIP(address.host) === 0 ? { servername: address.host } : {}) };
  if (address.scheme === 'mqtt' || address.scheme === 'mqtts') {
    const dial = (): net.Socket => {
      const dialled = address.scheme === 'mqtts'
        ? tls.connect({ host: address.host, port: address.port, ...secureOptions })
        : net.connect({ host: address.host, port: address.port });
      if (address.scheme === 'mqtts' && settings.keyLog !== undefined) dialled.on('keylog', settings.keyLog);
      dialled.on('error', (e) => {
        lastError = e;
      });
      dialled.on('connect', () => {
        ends = {
          local: `${hostForUrl(dialled.localAddress ?? '')}:${dialled.localPort ?? 0}`,
          remote: `${hostForUrl(dialled.remoteAddress ?? address.host)}:${dialled.remotePort ?? address.port}`,
        };
      });
      return dialled;
    };
    session = new mqtt.MqttClient(dial, base);
  } else {
    const url = `${address.scheme}://${hostForUrl(address.host)}:${address.port}${address.path}`;
    session = mqtt.connect(url, {
      ...base,
      ...(address.scheme === 'wss' ? { ...secureOptions, ALPNProtocols: ['http/1.1'] } : {}),
    });
  }
  return new Promise((resolve, reject) => {
    const done = (): void => {
      session.off('connect', onConnect);
      session.off('error', onError);
      session.off('close', onClose);
    };
    const fail = (err: unknown): void => {
      done();
      // Errors of the dead session after this one must not go unhandled.
      session.on('error', () => undefined);
      session.end(true);
      reject(new Error(connectErrorText(err, address, ends)));
    };
    const onConnect = (): void => {
      done();
      resolve(session);
    };
    const onError = (e: Error): void => {
      lastError = e;
      if (typeof (e as { code?: unknown }).code === 'number') fail(e);
    };
    const onClose = (): void => fail(lastError);
    session.on('connect', onConnect);
    session.on('error', onError);
    session.on('close', onClose);
  });
}

/** Closes a session: DISCONNECT when `graceful` (the broker drops the will), else the socket is cut. */
export function closeSession(session: MqttSession, graceful: boolean): Promise<void> {
  session.options.reconnectPeriod = 0;
  session.on('error', () => undefined);
  if (!graceful || !session.connected) {
    session.end(true);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    // paho's Disconnect(0) does not wait for in-flight work: neither does this, beyond a second.
    const timer = setTimeout(() => {
      session.end(true);
      resolve();
    }, 1000);
    session.end(false, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

import { describe, expect, it } from 'vitest';
import {
  MqttArgumentError, payloadBytes, readClientOptions, readConnectArgs, readCredentials, readPublishOptions, readTopicOptions,
  subscribeTopics, topicFilterError, unsubscribeTopics,
} from './mqtt-options.ts';
import { brokerAddress, checkBrokerHost } from './mqtt-address.ts';

function thrown(fn: () => unknown): string {
  try {
    fn();
    return 'nothing thrown';
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe('k6/x/mqtt arguments', () => {
  it('reads the Client options by their snake_case names, tags as strings', () => {
    const provider = (): unknown => ({ username: 'u', password: 'p' });
    expect(readClientOptions({
      client_id: 'c1', username: 'user', password: 'pw', credentials_provider: provider,
      will: { topic: 'w', payload: 'bye', qos: 1, retain: true }, tags: { a: 1, b: 'x', gone: null },
    })).toEqual({
      clientId: 'c1', username: 'user', password: 'pw', credentialsProvider: provider,
      will: { topic: 'w', payload: 'bye', qos: 1, retain: true }, tags: { a: '1', b: 'x' },
    });
    expect(readClientOptions(undefined)).toEqual({ tags: {} });
    // camelCase is not the extension's spelling: ignored.
    expect(readClientOptions({ clientId: 'x' })).toEqual({ tags: {} });
    expect(thrown(() => readClientOptions({ credentials_provider: 'nope' }))).toBe('TypeError: credentials_provider must be a function');
  });

  it('reads credentials a provider returns, and refuses anything else', () => {
    expect(readCredentials({ username: 'a', password: 'b' })).toEqual({ username: 'a', password: 'b' });
    expect(() => readCredentials('a:b')).toThrow(MqttArgumentError);
  });

  it('takes connect(url, options) or connect(options), with the extension’s type errors', () => {
    expect(readConnectArgs('mqtt://h:1883', { keepalive: 10.7, connect_timeout: 500, servers: ['tcp://b:1'], tags: { t: 'v' } })).toEqual({
      url: 'mqtt://h:1883', options: { keepalive: 10, connectTimeoutMs: 500, servers: ['tcp://b:1'], tags: { t: 'v' } },
    });
    expect(readConnectArgs({ servers: ['tcp://b:1'] }, undefined)).toEqual({ url: '', options: { servers: ['tcp://b:1'], tags: {} } });
    expect(readConnectArgs('mqtt://h:1', null)).toEqual({ url: 'mqtt://h:1', options: { servers: [], tags: {} } });
    // A negative timeout is ignored, as the extension does.
    expect(readConnectArgs('mqtt://h:1', { connect_timeout: -1 }).options.connectTimeoutMs).toBeUndefined();
    expect(thrown(() => readConnectArgs(42, undefined))).toBe('GoError: invalid type: expected string or object');
    expect(thrown(() => readConnectArgs(undefined, undefined))).toBe('GoError: invalid type: expected string or object');
    expect(thrown(() => readConnectArgs('mqtt://h:1', 'x'))).toBe('GoError: invalid type: expected object');
    expect(thrown(() => readConnectArgs('mqtt://h:1', ['x']))).toBe('GoError: invalid type: expected object');
  });

  it('reads publish, subscribe and unsubscribe options', () => {
    expect(readPublishOptions({ qos: 2, retain: true, tags: { k: 'v' } })).toEqual({ qos: 2, retain: true, tags: { k: 'v' } });
    expect(readPublishOptions(undefined)).toEqual({ qos: 0, retain: false, tags: {} });
    expect(readTopicOptions({ qos: 1 })).toEqual({ qos: 1, tags: {} });
  });

  it('takes string, ArrayBuffer and Uint8Array payloads only', () => {
    expect([...payloadBytes('hé')]).toEqual([104, 195, 169]);
    expect([...payloadBytes(new Uint8Array([1, 2, 3]).buffer)]).toEqual([1, 2, 3]);
    expect([...payloadBytes(new Uint8Array([9, 8, 7, 6]).subarray(1, 3))]).toEqual([8, 7]);
    for (const bad of [42, null, undefined, { a: 1 }, new Int16Array(2), new DataView(new ArrayBuffer(2))]) {
      expect(thrown(() => payloadBytes(bad))).toBe('Error: invalid type: String or ArrayBuffer expected');
    }
  });

  it('takes subscribe topics as a string, strings, or an object of per-topic QoS', () => {
    expect([...subscribeTopics('a/b', 1)]).toEqual([['a/b', 1]]);
    expect([...subscribeTopics(['a', 'b'], 2)]).toEqual([['a', 2], ['b', 2]]);
    expect([...subscribeTopics({ a: { qos: 1 }, b: {} }, 2)]).toEqual([['a', 1], ['b', 0]]);
    expect(thrown(() => subscribeTopics(7, 0))).toBe('Error: invalid type: String or Array of String or Object expected');
    expect(thrown(() => subscribeTopics(['a', 1], 0))).toBe('Error: invalid type: String or Array of String or Object expected');
    expect(unsubscribeTopics(['a', 'b'])).toEqual(['a', 'b']);
    expect(thrown(() => unsubscribeTopics({ a: 1 }))).toBe('Error: invalid type: String or Array of String expected');
  });

  it('checks topic filters and QoS as paho does before subscribing', () => {
    expect(topicFilterError('a/+/c/#', 2)).toBeUndefined();
    expect(topicFilterError('', 0)).toBe('invalid Topic; empty string');
    expect(topicFilterError('a/#/c', 0)).toBe('invalid Topic; multi-level wildcard must be last level');
    expect(topicFilterError('a', 3)).toBe('invalid QoS');
  });
});

describe('k6/x/mqtt broker URLs', () => {
  it('maps paho’s schemes, defaults to tcp:// and 127.0.0.1 for ":port"', () => {
    expect(brokerAddress('mqtt://h:1883')).toEqual({ scheme: 'mqtt', host: 'h', port: 1883, path: '/' });
    expect(brokerAddress('tcp://h:1')).toMatchObject({ scheme: 'mqtt', port: 1 });
    for (const s of ['mqtts', 'ssl', 'tls']) expect(brokerAddress(`${s}://h:8883`)).toMatchObject({ scheme: 'mqtts', host: 'h', port: 8883 });
    expect(brokerAddress('wss://h/mqtt')).toEqual({ scheme: 'wss', host: 'h', port: 443, path: '/mqtt' });
    expect(brokerAddress('ws://[::1]:9001/')).toEqual({ scheme: 'ws', host: '::1', port: 9001, path: '/' });
    expect(brokerAddress('localhost:1883')).toMatchObject({ scheme: 'mqtt', host: 'localhost', port: 1883 });
    expect(brokerAddress(':1883')).toMatchObject({ scheme: 'mqtt', host: '127.0.0.1', port: 1883 });
    expect(brokerAddress('mqtt://user:pw@h:1')).toMatchObject({ host: 'h', port: 1 });
  });

  it('fails as paho dials: unknown schemes and missing TCP ports', () => {
    expect(brokerAddress('http://h:80')).toEqual({ error: 'unknown protocol' });
    expect(brokerAddress('mqtt://h')).toEqual({ error: 'dial tcp: address h: missing port in address' });
  });
});

describe('k6/x/mqtt broker host check', () => {
  const settings = { insecureSkipTLSVerify: false, hosts: { 'broker.test': '10.1.2.3', 'ok.test:1883': '127.0.0.1' }, blockHostnames: ['*.blocked.test'], blacklistIPs: ['10.0.0.0/8'] };

  it('refuses blocked names and blacklisted IPs with k6 dialer’s texts, through `hosts` too', async () => {
    expect(await checkBrokerHost('mqtt://a.blocked.test:1883', settings)).toBe('hostname (a.blocked.test) is in a blocked pattern (*.blocked.test)');
    expect(await checkBrokerHost('mqtt://10.9.9.9:1883', settings)).toBe('IP (10.9.9.9) is in a blacklisted range (10.0.0.0/8)');
    expect(await checkBrokerHost('mqtt://broker.test:1883', settings)).toBe('IP (10.1.2.3) is in a blacklisted range (10.0.0.0/8)');
    expect(await checkBrokerHost('mqtt://ok.test:1883', settings)).toBeUndefined();
    expect(await checkBrokerHost('127.0.0.1:1883', settings)).toBeUndefined();
  });
});

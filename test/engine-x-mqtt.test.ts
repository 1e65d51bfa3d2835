// k6/x/mqtt scripts (test/scripts/extensions/mqtt-*.js) run end to end through the engine against
// the local Mosquitto broker (127.0.0.1:1883, anonymous). Every run uses topics of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { WebSocketServer } from 'ws';
import { failedChecks, metricValues, runScript, type ScriptRun } from './scripts/engine-harness.ts';
import { runInSandbox } from './scripts/sandboxed-run.ts';
import { TEST_TLS_CERT, TEST_TLS_KEY } from '../src/engine/http/test-tls-cert.test-helper.ts';

const BROKER = 'mqtt://127.0.0.1:1883';

function brokerAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: 1883 });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('connect', () => done(true));
    socket.on('error', () => done(false));
  });
}

const up = await brokerAnswers();
const title = up ? 'k6/x/mqtt end to end' : 'k6/x/mqtt end to end (SKIPPED: no MQTT broker answers at 127.0.0.1:1883)';

interface Point {
  type: string;
  metric: string;
  data: { value: number; tags: Record<string, string> };
}

function points(run: ScriptRun, file: string): Point[] {
  return (run.written.get(file) ?? '').trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Point).filter((p) => p.type === 'Point');
}

function env(topic: string): { env: Record<string, string> } {
  return { env: { MQTT_BROKER: BROKER, MQTT_TOPIC: topic } };
}

describe.skipIf(!up)(title, () => {
  let observer: mqtt.MqttClient;
  beforeAll(async () => {
    observer = await mqtt.connectAsync(BROKER, { reconnectPeriod: 0 });
  });
  afterAll(async () => {
    await observer.endAsync();
  });

  it('blocking calls round-trip strings, ArrayBuffers and Uint8Arrays at every QoS, with retained messages and the extension’s metrics and tags', async () => {
    const topic = `stampede-test/${randomUUID()}`;
    const run = await runScript('extensions/mqtt-pubsub.js', { ...env(topic), jsonOut: 'out/mqtt.json' });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 6, fails: 0 });
    expect(metricValues(run, 'mqtt_messages_sent')?.count).toBe(6);
    expect(metricValues(run, 'mqtt_messages_received')?.count).toBe(5);
    expect(metricValues(run, 'mqtt_errors')?.count).toBe(0);
    expect(run.stdout).toMatch(/mqtt_calls\.+: 20 /);

    const all = points(run, 'out/mqtt.json');
    const calls = all.filter((p) => p.metric === 'mqtt_calls');
    const connect = calls.find((p) => p.data.tags.method === 'connect' && p.data.tags.client_id !== undefined);
    expect(connect?.data.tags).toEqual({
      scenario: 'default', group: '', proto: 'MQTT/3.1.1', client_id: `${topic}-pubsub`, url: BROKER,
      side: 'publisher', leg: 'main', method: 'connect',
    });
    const typed = calls.find((p) => p.data.tags.method === 'publish' && p.data.tags.kind === 'typed');
    expect(typed?.data.tags).toMatchObject({ topic: `${topic}/u8`, side: 'publisher', leg: 'main' });
    // mqtt_messages_sent carries the client's tags and the topic, not the call's.
    const sent = all.filter((p) => p.metric === 'mqtt_messages_sent' && p.data.tags.topic === `${topic}/u8`);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.data.tags.kind).toBeUndefined();
    expect(sent[0]?.data.tags.method).toBeUndefined();
    const subscribed = calls.filter((p) => p.data.tags.method === 'subscribe').map((p) => p.data.tags.topic).sort();
    expect(subscribed).toEqual([`${topic}/bin`, `${topic}/retained`, `${topic}/text`, `${topic}/u8`]);
    expect(calls.filter((p) => p.data.tags.method === 'message')).toHaveLength(5);
    expect(calls.filter((p) => p.data.tags.method === 'end')).toHaveLength(2);
    expect(calls.filter((p) => p.data.tags.method === 'unsubscribe').map((p) => p.data.tags.topic)).toEqual([`${topic}/retained`]);
    // data_sent: the payload sizes (10 + 13 + 4 + 3 + 18 + 0), plus the iteration's zero sample.
    const dataSent = all.filter((p) => p.metric === 'data_sent').map((p) => p.data.value);
    expect(dataSent.reduce((a, b) => a + b, 0)).toBe(48);
    expect(dataSent).toContain(13);
  });

  it('promise-returning methods and events keep the iteration open and run in order', async () => {
    const run = await runScript('extensions/mqtt-async.js', env(`stampede-test/${randomUUID()}`));
    expect(run.stdout + run.stderr).not.toContain('level=error');
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 4, fails: 0 });
    // Held by the client and the 200 ms timer before endAsync().
    expect(metricValues(run, 'iteration_duration')?.min).toBeGreaterThanOrEqual(200);
  });

  it('failures throw the extension’s texts, or reach the error listener as MQTTErrors and count in mqtt_errors', async () => {
    const run = await runScript('extensions/mqtt-errors.js', env(`stampede-test/${randomUUID()}`));
    expect(failedChecks(run), run.stdout + run.stderr).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 10, fails: 0 });
    expect(metricValues(run, 'mqtt_errors')?.count).toBe(9);
    expect(run.stdout + run.stderr).toContain('level=warning msg="Unknown event type" event=bogus module=mqtt');
    expect(run.stdout + run.stderr).toContain('level=error msg="MQTT error occurred" error="not connected" method=publish module=mqtt');
  });

  it('end() without connect, reconnect(), a credentials provider, a client from the init context and an automatic reconnect (connected meanwhile)', async () => {
    const run = await runScript('extensions/mqtt-lifecycle.js', { ...env(`stampede-test/${randomUUID()}`), jsonOut: 'out/life.json' });
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 7, fails: 0 });
    expect(metricValues(run, 'mqtt_errors')?.count).toBe(1);
    const initCalls = points(run, 'out/life.json').filter((p) => p.metric === 'mqtt_calls' && p.data.tags.made === 'init');
    expect(initCalls.map((p) => p.data.tags.method)).toEqual(['connect', 'end']);
  });

  it('a client holds its iteration until end(); one never ended is cut when the scenario interrupts it, and the broker sends its will', async () => {
    const topic = `stampede-test/${randomUUID()}`;
    const wills: string[] = [];
    observer.on('message', (t, payload) => {
      if (t === `${topic}/will`) wills.push(payload.toString());
    });
    await observer.subscribeAsync(`${topic}/will`, { qos: 1 });
    const started = Date.now();
    const run = await runScript('extensions/mqtt-hold.js', env(topic));
    expect(run.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(metricValues(run, 'iterations')?.count).toBe(1);
    expect(metricValues(run, 'iteration_duration')?.min).toBeGreaterThanOrEqual(300);
    expect(run.stdout + run.stderr).toContain('ended by the timer');
    expect(run.stdout + run.stderr).toContain('held connected');
    const deadline = Date.now() + 5000;
    while (wills.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(wills).toEqual(['connection lost']);
  });

  it('mqtts:// and ssl:// go through k6’s TLS options: a self-signed broker only with insecureSkipTLSVerify', async () => {
    // A TLS front for the broker on a port of its own.
    const front = tls.createServer({ key: TEST_TLS_KEY, cert: TEST_TLS_CERT }, (socket) => {
      const upstream = net.connect({ host: '127.0.0.1', port: 1883 });
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const port = (front.address() as net.AddressInfo).port;
    try {
      const topic = `stampede-test/${randomUUID()}`;
      const ok = await runScript('extensions/mqtt-transport.js', { env: { BROKER_URL: `mqtts://localhost:${port}`, MQTT_TOPIC: topic, INSECURE: '1' } });
      expect(ok.exitCode).toBe(0);
      expect(metricValues(ok, 'checks')).toMatchObject({ passes: 1, fails: 0 });
      const refused = await runScript('extensions/mqtt-transport.js', { env: { BROKER_URL: `ssl://localhost:${port}`, MQTT_TOPIC: topic } });
      expect(refused.exitCode).toBe(0);
      expect(metricValues(refused, 'checks')).toBeUndefined();
      expect(refused.stdout + refused.stderr).toContain('connect error: network Error : tls: failed to verify certificate: x509: certificate signed by unknown authority');
      expect(metricValues(refused, 'mqtt_errors')?.count).toBe(1);
    } finally {
      await new Promise((resolve) => front.close(resolve));
    }
  });

  it('ws:// carries MQTT over a WebSocket', async () => {
    // A WebSocket bridge to the broker (Mosquitto here listens on TCP only).
    const bridge = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/mqtt' });
    bridge.on('connection', (ws) => {
      const upstream = net.connect({ host: '127.0.0.1', port: 1883 });
      ws.on('message', (data: Buffer) => upstream.write(data));
      upstream.on('data', (data) => ws.send(data));
      ws.on('close', () => upstream.destroy());
      upstream.on('close', () => ws.close());
      upstream.on('error', () => ws.close());
    });
    await new Promise<void>((resolve) => bridge.on('listening', resolve));
    const port = (bridge.address() as net.AddressInfo).port;
    try {
      const run = await runScript('extensions/mqtt-transport.js', { env: { BROKER_URL: `ws://127.0.0.1:${port}/mqtt`, MQTT_TOPIC: `stampede-test/${randomUUID()}` } });
      expect(run.exitCode).toBe(0);
      expect(metricValues(run, 'checks')).toMatchObject({ passes: 1, fails: 0 });
      expect(metricValues(run, 'mqtt_messages_received')?.count).toBe(1);
    } finally {
      await new Promise((resolve) => bridge.close(resolve));
    }
  });

  it('runs in the sandboxed runner process that server runs use', async () => {
    const topic = `stampede-test/${randomUUID()}`;
    const source = [
      "import { Client } from 'k6/x/mqtt';",
      "import { check } from 'k6';",
      "export const options = { iterations: 1, thresholds: { mqtt_messages_received: ['count==1'] } };",
      'export default function () {',
      '  const client = new Client();',
      "  client.on('message', (topic, payload) => {",
      "    check(new TextDecoder().decode(payload), { 'echoed': (t) => t === 'sandboxed' });",
      '    client.end();',
      '  });',
      `  client.connect('${BROKER}');`,
      `  client.subscribe('${topic}');`,
      `  client.publish('${topic}', 'sandboxed');`,
      '}',
    ].join('\n');
    const seen = await runInSandbox(source);
    expect(seen.find((m) => m.type === 'finished')).toMatchObject({
      exitCode: 0,
      thresholds: { mqtt_messages_received: { 'count==1': false } },
      checks: [{ name: 'echoed', passes: 1, fails: 0 }],
    });
  }, 30_000);
});

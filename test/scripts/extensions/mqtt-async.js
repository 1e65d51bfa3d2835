// k6/x/mqtt with promises: subscribeAsync, publishAsync, unsubscribeAsync and endAsync from an async
// connect listener, timers on the VU's loop, and the order the events come in.
import { Client } from 'k6/x/mqtt';
import { check } from 'k6';

const broker = __ENV.MQTT_BROKER;
const base = __ENV.MQTT_TOPIC;

export const options = { iterations: 1, thresholds: { checks: ['rate==1'] } };

export default function () {
  const steps = [];
  const client = new Client();

  client.on('connect', async () => {
    steps.push('connect');
    const subscribed = client.subscribeAsync(`${base}/ping`, { qos: 1 });
    check(subscribed, { 'subscribeAsync returns a promise': (p) => p instanceof Promise });
    await subscribed;
    steps.push('subscribed');
    await client.publishAsync(`${base}/ping`, 'one', { qos: 1 });
    steps.push('published');
  });

  client.on('message', async (topic, payload) => {
    const text = new TextDecoder().decode(payload);
    steps.push(`message ${text}`);
    if (text === 'one') {
      await client.unsubscribeAsync(`${base}/ping`);
      steps.push('unsubscribed');
      // Not subscribed any more: this one never comes back.
      client.publish(`${base}/ping`, 'two');
      setTimeout(async () => {
        await client.endAsync();
        steps.push('ended');
        verify();
      }, 200);
    }
  });

  client.on('end', () => {
    steps.push('end');
  });

  const connecting = client.connectAsync(broker);
  check(client.connected, { 'not connected right after connectAsync()': (c) => c === false });
  connecting.then(() => {
    steps.push('connectAsync resolved');
  });
  // The iteration waits for the client to end: the checks run once endAsync() resolved.
  function verify() {
    check(steps, {
      // The broker may deliver the message before or after its PUBACK.
      'events in order': (s) => JSON.stringify(s.filter((x) => x !== 'published')) === JSON.stringify([
        'connectAsync resolved', 'connect', 'subscribed', 'message one', 'unsubscribed', 'end', 'ended',
      ]),
      'publishAsync resolved': (s) => s.includes('published'),
    });
  }
}

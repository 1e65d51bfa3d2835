// The event-loop rule of k6/x/mqtt: a client holds its iteration open until end(). The first
// scenario ends its client from a timer; the second never does, so its iteration runs until the
// scenario interrupts it and the connection is cut (the broker then publishes the client's will).
import { Client } from 'k6/x/mqtt';

const broker = __ENV.MQTT_BROKER;
const base = __ENV.MQTT_TOPIC;

export const options = {
  scenarios: {
    ended: { executor: 'per-vu-iterations', vus: 1, iterations: 1, exec: 'endedLater' },
    held: { executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDuration: '1s', gracefulStop: '0s', startTime: '1s', exec: 'neverEnded' },
  },
};

export function endedLater() {
  const client = new Client();
  client.on('end', () => console.log('ended by the timer'));
  client.connect(broker);
  setTimeout(() => client.end(), 300);
}

export function neverEnded() {
  const client = new Client({ client_id: `${base.replace(/\//g, '-')}-held`, will: { topic: `${base}/will`, payload: 'connection lost', qos: 1 } });
  client.on('message', () => undefined);
  client.connect(broker);
  console.log('held connected');
}

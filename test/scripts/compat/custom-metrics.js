// Custom metrics of every type, with tags and isTime, and thresholds on them.
import { Counter, Gauge, Rate, Trend } from 'k6/metrics';
import exec from 'k6/execution';

const orders = new Counter('orders_placed');
const cart = new Gauge('cart_size');
const success = new Rate('order_success');
const wait = new Trend('order_wait', true);
const items = new Trend('order_items');

export const options = {
  vus: 2,
  iterations: 6,
  thresholds: {
    orders_placed: ['count==12'],
    'orders_placed{kind:gift}': ['count==6'],
    cart_size: ['value>0'],
    order_success: ['rate>0.6', 'rate<0.7'],
    order_wait: ['p(99)<1000', 'avg==150'],
    'order_items{kind:gift}': ['max==3'],
  },
};

export default function () {
  const i = exec.scenario.iterationInTest;
  orders.add(1, { kind: 'gift' });
  orders.add(1, { kind: 'plain' });
  cart.add(i + 1);
  success.add(i % 3 !== 0);
  wait.add(100);
  wait.add(200);
  items.add(3, { kind: 'gift' });
  items.add(7);
}

// setTimeout/setInterval from k6/timers and the globals; the iteration waits for pending timers.
import { setInterval, clearInterval } from 'k6/timers';
import { Counter } from 'k6/metrics';

const ticks = new Counter('ticks');
const late = new Counter('late_timeouts');

export const options = { iterations: 2, thresholds: { ticks: ['count==6'], late_timeouts: ['count==2'] } };

export default function () {
  let n = 0;
  const id = setInterval(() => {
    ticks.add(1);
    if (++n === 3) clearInterval(id);
  }, 20);
  setTimeout(() => late.add(1), 100);
}

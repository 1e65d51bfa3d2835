// A VU stuck in `while (true) {}` must not hang the run past gracefulStop.
export const options = {
  scenarios: { spin: { executor: 'constant-vus', vus: 1, duration: '1s', gracefulStop: '0s' } },
};

export default function () {
  console.log(`iteration ${__ITER} started`);
  while (true) {}
}

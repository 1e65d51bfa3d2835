// Every problem is listed before any VU starts (exit 104).
export const options = {
  iterations: 5,
  duration: 'soon',
  thresholds: { no_such_metric: ['rate<1'] },
  scenarios: { 'bad name!': { executor: 'constant-vus' } },
};

export default function () {}

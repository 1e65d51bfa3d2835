// The same threshold expression twice on one metric: k6's end-of-test summary lists the metric's
// thresholds one by one (internal/output/summary/data.go), so it shows two lines; the summary data
// (handleSummary, --summary-export) is a map by expression, so it holds one entry.
export const options = {
  iterations: 2,
  thresholds: {
    iterations: ['count>1', 'count<100', 'count>1'],
  },
};

export default function () {}

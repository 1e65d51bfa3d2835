// handleSummary decides the outputs: stdout text and a file, no default summary.
export const options = { iterations: 2 };

export default function () {}

export function handleSummary(data) {
  return {
    stdout: `custom summary: ${data.metrics.iterations.values.count} iterations\n`,
    'out/summary.json': JSON.stringify({ iterations: data.metrics.iterations.values.count, setup: data.setup_data }),
  };
}

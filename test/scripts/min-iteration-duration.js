// minIterationDuration pads each iteration without counting the padding in iteration_duration.
export const options = { vus: 1, iterations: 3, minIterationDuration: '300ms' };

export default function () {}

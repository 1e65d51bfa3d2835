// A rejected promise nobody handles is logged like k6 does; it does not crash the run.
export const options = { iterations: 2 };

export function setup() {
  Promise.reject(new Error('setup rejection'));
}

export default function () {
  Promise.reject(new Error('iteration rejection'));
}

// An unhandled rejection in setup() fails setup like an exception would: exit 107.
export const options = { iterations: 1 };

export function setup() {
  Promise.reject(new Error('setup rejection'));
}

export default function () {}

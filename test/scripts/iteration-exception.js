// An exception in an iteration is logged; the iteration still counts and the VU continues (exit 0).
export const options = { vus: 1, iterations: 3 };

export default function () {
  if (__ITER === 1) throw new Error('iteration one failed');
}

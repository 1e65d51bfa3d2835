// VU 0 (which reads options) initialises fine; VU 2 throws in init: the run stops with 107.
export const options = { vus: 3, iterations: 3 };

if (__VU === 2) throw new Error('VU 2 cannot start');

export default function () {}

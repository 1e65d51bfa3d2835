// k6's randomSeed(n) makes Math.random deterministic for one VU. Go's math/rand sequence is not
// reproduced (scripts cannot depend on it across engines); only determinism per seed is promised.

/** sfc32 seeded from a 53-bit integer: fast, good enough for load-test randomness. */
export function seededRandom(seed: number): () => number {
  let a = 0x9e3779b9 ^ (seed >>> 0);
  let b = Math.floor(seed / 0x100000000) >>> 0;
  let c = 0x243f6a88;
  let d = 0xb7e15162;
  const next = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

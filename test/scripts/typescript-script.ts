// TypeScript scripts are compiled with esbuild; types vanish, behaviour stays.
import { check } from 'k6';

interface Item { readonly n: number }

export const options = { vus: 1, iterations: 2 };

const items: Item[] = [{ n: 1 }, { n: 2 }];

export default function (): void {
  const total: number = items.reduce((sum: number, it: Item) => sum + it.n, 0);
  check(total, { 'typed sum is 3': (t: number) => t === 3 });
}

// The `localIPs` option (`--local-ips`, K6_LOCAL_IPS): the local addresses VUs dial from, as k6's
// lib/types/ipblock.go reads them. A comma-separated list of IPs, ranges (`ip1-ip2`) and CIDRs; an IPv4
// network with more than two addresses leaves out its network and broadcast addresses. VU n (1-based,
// 0 for setup/teardown) takes address (n-1) modulo the pool size, in the order the list gives them
// (k6 internal/js/runner.go newVU: `LocalIPs.Pool.GetIP(idLocal - 1)`).
import { isIP, isIPv4 } from 'node:net';

interface PoolBlock {
  readonly first: bigint;
  readonly count: bigint;
  readonly v6: boolean;
}

export class IpPool {
  readonly #blocks: readonly PoolBlock[];
  readonly #size: bigint;

  private constructor(blocks: readonly PoolBlock[]) {
    this.#blocks = blocks;
    this.#size = blocks.reduce((n, b) => n + b.count, 0n);
  }

  /** k6 NewIPPool; throws with k6's words ("… is not a valid IP, IP range or CIDR"). */
  static parse(text: string): IpPool {
    return new IpPool(text.split(',').map(ipBlock));
  }

  /** The address of pool index `index` (wrapping around the pool). */
  address(index: number): string {
    let i = BigInt(Math.max(0, Math.trunc(index))) % this.#size;
    for (const b of this.#blocks) {
      if (i < b.count) return formatIp(b.first + i, b.v6);
      i -= b.count;
    }
    /* c8 ignore next */
    throw new Error('unreachable: index inside the pool');
  }

  /** The address a VU dials from: VU ids are 1-based, the setup/teardown VU (0) takes the first. */
  addressForVu(vuId: number): string {
    return this.address(vuId > 0 ? vuId - 1 : 0);
  }
}

function ipBlock(s: string): PoolBlock {
  if (s.includes('-')) return blockFromRange(s);
  if (s.includes('/')) return blockFromCidr(s);
  if (isIP(s) === 0) throw new Error(`${s} is not a valid IP, IP range or CIDR`);
  return blockFromRange(`${s}-${s}`);
}

function blockFromRange(s: string): PoolBlock {
  const dash = s.indexOf('-');
  const a = s.slice(0, dash);
  const b = s.slice(dash + 1);
  if (isIP(a) === 0 || isIP(b) === 0) throw new Error(`wrong IP range format: ${s}`);
  if (isIPv4(a) !== isIPv4(b)) throw new Error(`mixed IP range format: ${s}`);
  const v6 = !isIPv4(a);
  const first = ipValue(a);
  const count = ipValue(b) - first + 1n;
  if (count <= 0n) throw new Error(`negative IP range: ${s}`);
  return { first, count, v6 };
}

function blockFromCidr(s: string): PoolBlock {
  const slash = s.indexOf('/');
  const addr = s.slice(0, slash);
  const bitsText = s.slice(slash + 1);
  const family = isIP(addr);
  const width = family === 4 ? 32 : 128;
  if (family === 0 || !/^\d+$/.test(bitsText) || Number(bitsText) > width) {
    // Go's net.ParseCIDR error, wrapped as k6 does.
    throw new Error(`parseCIDR() failed parsing ${s}: invalid CIDR address: ${s}`);
  }
  const hostBits = BigInt(width - Number(bitsText));
  const mask = (1n << hostBits) - 1n;
  let first = ipValue(addr) & ~mask;
  let count = mask + 1n;
  // IPv4 networks bigger than two addresses lose their network and broadcast addresses.
  if (family === 4 && count > 2n) {
    count -= 2n;
    first += 1n;
  }
  return { first, count, v6: family === 6 };
}

function ipValue(ip: string): bigint {
  if (isIPv4(ip)) return ip.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
  let text = ip;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1] !== undefined) {
    const n = ipValue(v4[1]);
    text = `${text.slice(0, -v4[1].length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === undefined || tail === '' ? [] : tail.split(':');
  const parts = tail === undefined ? headParts : [...headParts, ...Array<string>(8 - headParts.length - tailParts.length).fill('0'), ...tailParts];
  return parts.reduce((n, h) => (n << 16n) | BigInt(parseInt(h, 16)), 0n);
}

function formatIp(n: bigint, v6: boolean): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.');
  const parts: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) parts.push(((n >> s) & 0xffffn).toString(16));
  return parts.join(':');
}

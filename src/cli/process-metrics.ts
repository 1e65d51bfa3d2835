// `GET /metrics` of the local REST API: k6 serves Prometheus' default registry there (promhttp.Handler(),
// internal/api/server.go), whose process collector describes the k6 process. Stampede gives the same
// process_* families for its Node.js process, in the text exposition format 0.0.4; the go_* families
// describe Go's runtime and have no Node.js counterpart. The families read from /proc (file
// descriptors, virtual memory) are left out where there is no /proc, as Go's collector does off Linux.
import { readdirSync, readFileSync } from 'node:fs';
import { goFloat } from './metrics-yaml.ts';

/** The exposition format's Content-Type, as promhttp sends it. */
export const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores';

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly value: number | undefined;
}

/** The process's file descriptor limits and counts from /proc/self (Linux), else undefined. */
function procFacts(): { openFds?: number; maxFds?: number; virtualBytes?: number; maxVirtualBytes?: number } {
  const facts: { openFds?: number; maxFds?: number; virtualBytes?: number; maxVirtualBytes?: number } = {};
  try {
    facts.openFds = readdirSync('/proc/self/fd').length;
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const soft = (label: string): number | undefined => {
      const m = new RegExp(`^${label}\\s+(\\S+)`, 'm').exec(limits);
      if (m?.[1] === undefined) return undefined;
      // "unlimited" is the largest uint64, which Go's collector reports as that float.
      return m[1] === 'unlimited' ? 18446744073709552000 : Number(m[1]);
    };
    facts.maxFds = soft('Max open files');
    facts.maxVirtualBytes = soft('Max address space');
    // /proc/self/stat field 23 is vsize; the command in field 2 may hold spaces, so count after its ')'.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    facts.virtualBytes = Number(fields[20]);
  } catch {
    // Not Linux: only what Node.js reports itself.
  }
  return facts;
}

/** The process_* families of Prometheus' process collector, in its order and with its help texts. */
export function processMetricsText(nowMs: number = Date.now()): string {
  const cpu = process.cpuUsage();
  const proc = procFacts();
  const families: Family[] = [
    { name: 'process_cpu_seconds_total', help: 'Total user and system CPU time spent in seconds.', type: 'counter', value: (cpu.user + cpu.system) / 1e6 },
    { name: 'process_max_fds', help: 'Maximum number of open file descriptors.', type: 'gauge', value: proc.maxFds },
    { name: 'process_open_fds', help: 'Number of open file descriptors.', type: 'gauge', value: proc.openFds },
    { name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.', type: 'gauge', value: process.memoryUsage.rss() },
    { name: 'process_start_time_seconds', help: 'Start time of the process since unix epoch in seconds.', type: 'gauge', value: Math.floor((nowMs - process.uptime() * 1000) / 10) / 100 },
    { name: 'process_virtual_memory_bytes', help: 'Virtual memory size in bytes.', type: 'gauge', value: proc.virtualBytes },
    { name: 'process_virtual_memory_max_bytes', help: 'Maximum amount of virtual memory available in bytes.', type: 'gauge', value: proc.maxVirtualBytes },
  ];
  let out = '';
  for (const f of families) {
    if (f.value === undefined || !Number.isFinite(f.value)) continue;
    out += `# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}\n${f.name} ${goFloat(f.value)}\n`;
  }
  return out;
}

// What a runner process uses, read from Linux's /proc (every thread of the process counts): its
// resident memory, the CPU time it has taken so far and its open file descriptors. Each reading is null
// where /proc cannot tell (another OS, a process already gone).
import { readdir, readFile } from 'node:fs/promises';

/**
 * Clock ticks per second of /proc/<pid>/stat's times: Linux's USER_HZ, which the kernel fixes at 100
 * for what it shows user space, whatever its internal tick rate.
 */
const USER_HZ = 100;

export async function residentBytes(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

/** User plus system CPU seconds the process has taken since it started. */
export async function cpuSeconds(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so fields count from its end;
    // utime and stime are the 14th and 15th fields, the 12th and 13th after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / USER_HZ : null;
  } catch {
    return null;
  }
}

export async function openFileHandles(pid: number): Promise<number | null> {
  try {
    return (await readdir(`/proc/${pid}/fd`)).length;
  } catch {
    return null;
  }
}

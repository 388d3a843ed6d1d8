/** CPU time of a process and all its descendants, read from /proc (Linux). */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // sysconf(_SC_CLK_TCK) is 100 on Linux x86_64 and arm64

function stat(pid: number): { ppid: number; ticks: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may contain spaces, in parentheses.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** User+system CPU seconds of `root` alone and with every descendant alive now. */
export function treeCpuSeconds(root: number): { root: number; tree: number } {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const info = new Map<number, { ppid: number; ticks: number }>();
  for (const pid of all) {
    const s = stat(pid);
    if (s) info.set(pid, s);
  }
  const inTree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, s] of info) if (!inTree.has(pid) && inTree.has(s.ppid)) (inTree.add(pid), (grew = true));
  }
  let ticks = 0;
  for (const pid of inTree) ticks += info.get(pid)?.ticks ?? 0;
  return { root: (info.get(root)?.ticks ?? 0) / TICKS_PER_SECOND, tree: ticks / TICKS_PER_SECOND };
}

/** Mean CPU over `seconds` as a percentage of one core: the whole tree, and the root process alone. */
export async function measureTreeCpu(root: number, seconds: number): Promise<{ tree: number; root: number }> {
  const before = treeCpuSeconds(root);
  const t0 = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const after = treeCpuSeconds(root);
  return { tree: ((after.tree - before.tree) / elapsed) * 100, root: ((after.root - before.root) / elapsed) * 100 };
}

/**
 * A process's CPU seconds split two ways: its main thread (for Node, the event loop: JavaScript and
 * garbage collection's pauses) against its other threads (libuv's pool doing file I/O, V8's helpers),
 * and user against kernel time (the kernel's includes file writes and fsync done for it).
 */
export function threadCpuSeconds(pid: number): { main: number; others: number; user: number; system: number } {
  const out = { main: 0, others: 0, user: 0, system: 0 };
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      const [user, system] = [Number(fields[11]) / TICKS_PER_SECOND, Number(fields[12]) / TICKS_PER_SECOND];
      out.user += user;
      out.system += system;
      if (Number(tid) === pid) out.main += user + system;
      else out.others += user + system;
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

/** User+system CPU seconds of every process whose command line contains `needle` (e.g. a browser's binary). */
export function matchingCpuSeconds(needle: string): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number)) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle)) continue;
    } catch {
      continue;
    }
    ticks += stat(pid)?.ticks ?? 0;
  }
  return ticks / TICKS_PER_SECOND;
}

// CPU time of this process's threads, grouped by thread name, from
// /proc/self/task (Linux). The bench prints where a phase's CPU went: the main JS
// thread, the processors' worker threads (they name themselves sqa-processorN), the
// engine's pools, and the threads named after the process: V8's helpers for garbage
// collection and compiling, and libuv's pool, which writes files and runs the
// embedded engine's statements (~0.15 µs per pipeline event; docs/benchmarks.md
// 2026-11-29 13:20).
import { readdirSync, readFileSync } from 'node:fs';

/** Seconds of CPU per thread name; the main thread is named 'main'. Empty where /proc is not there. */
export function threadCpu(): Map<string, number> {
  const byName = new Map<string, number>();
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch (err) {
    process.stderr.write(`thread CPU not readable (${(err as Error).message})\n`);
    return byName;
  }
  for (const tid of tasks) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended between the listing and the read: its time is gone with it
    }
    const name = tid === String(process.pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '');
    // Fields 14 and 15: utime and stime in clock ticks (100 per second on Linux).
    const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    byName.set(name, (byName.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) / 100);
  }
  return byName;
}

/** µs of CPU per event by thread name between two readings, largest first, as `name 1.23`. */
export function threadCpuPerEvent(a: Map<string, number>, b: Map<string, number>, events: number): string {
  return [...b].map(([name, s]) => [name, ((s - (a.get(name) ?? 0)) / events) * 1e6] as const)
    .filter(([, us]) => us >= 0.01).sort((x, y) => y[1] - x[1])
    .map(([name, us]) => `${name} ${us.toFixed(2)}`).join(', ');
}

/**
 * CPU seconds the whole machine has spent busy (user, nice, system, interrupts) and
 * stolen by the hypervisor, from the first line of /proc/stat; null where it is not there.
 * What the bench's processes did not spend of the busy time was spent by something
 * else on the machine during the phase: the kernel's writeback, other processes.
 */
export function machineCpu(): { busy: number; steal: number } | null {
  let line: string;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  } catch (err) {
    process.stderr.write(`machine CPU not readable (${(err as Error).message})\n`);
    return null;
  }
  // cpu user nice system idle iowait irq softirq steal …, in clock ticks (100 per second).
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return { busy: (user + nice + system + irq + softirq) / 100, steal: steal / 100 };
}

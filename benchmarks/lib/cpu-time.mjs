// CPU time of this process (all its threads: main, workers) and of its finished child processes
// (scipy servers, sort children), so each suite's cost shows beside its wall time. Children's
// time comes from /proc/self/stat (cutime + cstime: children waited for); elsewhere it is null.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // Linux USER_HZ

/** { self, children } CPU seconds so far; children null where /proc is not available. */
export function cpuSeconds() {
  const { user, system } = process.cpuUsage();
  return { self: (user + system) / 1e6, children: childrenSeconds() };
}

function childrenSeconds() {
  try {
    // fields after the ")" that ends the command name: state is field 3, cutime 16, cstime 17
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU seconds spent between two cpuSeconds() readings. */
export function cpuSince(start) {
  const now = cpuSeconds();
  const children = now.children === null || start.children === null ? null : now.children - start.children;
  return { self: now.self - start.self, children };
}

// Process targets are started by worker threads, which a pool may terminate before they can
// stop their children. When the CLI finishes, whatever this process still has running is one
// of those: end it (and its process group; process targets run in their own). Linux only:
// it reads /proc, and is a no-op elsewhere.
import { readdirSync, readFileSync } from 'node:fs';

function parentOf(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

export function reapChildren(): number {
  if (process.platform !== 'linux') return 0;
  let reaped = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || parentOf(name) !== process.pid) continue;
    const pid = Number(name);
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
        reaped++;
        break;
      } catch {
        // not a group leader, or already gone
      }
    }
  }
  return reaped;
}

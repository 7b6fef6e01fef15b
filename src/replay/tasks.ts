// Cutting a run into pool tasks: big enough that Piscina's per-task cost (tens of
// microseconds) stays small, small and numerous enough that every worker stays busy. Traces
// of known size are handed out largest first (LPT scheduling), so the run does not end with
// one worker replaying the biggest trace alone; results are ordered by item id regardless.
import type { ReplaySettings, ReplayTask, TraceItem } from './protocol.js';

/** Tasks per worker to aim for, so uneven traces still balance. */
const tasksPerWorker = 4;
const itemsPerTaskMax = 64;
/**
 * A trace this big is a task of its own whatever the share: it is tens of milliseconds of
 * replay at least, against a fixed cost per task of about 0.1 ms. Bytes predict replay time
 * poorly (a 363 MB trace of data-heavy calls replayed in 5 s, five traces of 230 MB together
 * in 24 s), so bundling big traces up to a share of the bytes left one worker idle at the end.
 */
const taskBytesEnough = 1 << 20;

const weight = (i: TraceItem): number => i.size ?? i.bytes?.length ?? 0;

export function makeTasks(
  items: readonly TraceItem[],
  settings: ReplaySettings,
  workers: number,
): ReplayTask[] {
  const total = items.reduce((n, i) => n + weight(i), 0);
  if (total === 0) return bySlices(items, settings, workers);
  // Largest first; a task closes when it reaches its share of the bytes, or is big enough on
  // its own, or holds the item cap.
  const share = total / (workers * tasksPerWorker);
  const sorted = [...items].sort((a, b) => weight(b) - weight(a) || a.id - b.id);
  const tasks: ReplayTask[] = [];
  let current: TraceItem[] = [];
  let bytes = 0;
  for (const item of sorted) {
    current.push(item);
    bytes += weight(item);
    if (bytes >= Math.min(share, taskBytesEnough) || current.length >= itemsPerTaskMax) {
      tasks.push({ settings, items: current });
      current = [];
      bytes = 0;
    }
  }
  if (current.length > 0) tasks.push({ settings, items: current });
  return tasks;
}

/** Sizes unknown: equal numbers of traces per task, in order. */
function bySlices(
  items: readonly TraceItem[],
  settings: ReplaySettings,
  workers: number,
): ReplayTask[] {
  const per = Math.min(
    itemsPerTaskMax,
    Math.max(1, Math.ceil(items.length / (workers * tasksPerWorker))),
  );
  const tasks: ReplayTask[] = [];
  for (let i = 0; i < items.length; i += per)
    tasks.push({ settings, items: items.slice(i, i + per) });
  return tasks;
}

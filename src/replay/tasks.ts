// Cutting a run into pool tasks: big enough that Piscina's per-task cost (tens of
// microseconds) stays small, small and numerous enough that every worker stays busy.
import type { ReplaySettings, ReplayTask, TraceItem } from './protocol.js';

/** Tasks per worker to aim for, so uneven traces still balance. */
const tasksPerWorker = 4;
const itemsPerTaskMax = 64;

export function makeTasks(
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

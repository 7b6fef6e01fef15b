// What a replay task's traces come to when its worker is lost part way (src/replay/pool.ts's
// TaskKind for replay): the trace in hand is a target-timeout (the watchdog killed the worker)
// or a target-crashed (the worker died), and the traces after it run again on a new worker.
import { deadWorkerViolation, heldItem, hungCallViolation } from './heartbeat.js';
import type { ItemResult, ReplayTask } from './protocol.js';

export function replayAfterKill(
  task: ReplayTask,
  beat: Int32Array,
): { results: ItemResult[]; redo?: ReplayTask } {
  const hungId = Atomics.load(beat, 0);
  const hung = task.items.find((i) => i.id === hungId);
  const results: ItemResult[] = [];
  if (hung !== undefined) {
    const v = hungCallViolation(beat, task.settings.timeoutMs);
    results.push({
      id: hung.id,
      label: hung.label,
      result: { outcome: 'timeout', calls: v.callIndex, violations: [v] },
    });
  }
  const rest = task.items.filter((i) => i.id !== hungId);
  return rest.length === 0 ? { results } : { results, redo: { ...task, items: rest } };
}

export function replayAfterDeath(
  task: ReplayTask,
  beat: Int32Array,
  why: string,
): { results: ItemResult[]; redo?: ReplayTask } {
  const held = heldItem(beat);
  const dead = task.items.find((i) => i.id === held);
  if (dead === undefined) {
    // Between traces: starting the target (the session) killed it. Every trace would.
    const setupError = `the target killed its worker thread while starting (${why})`;
    return { results: task.items.map((i) => ({ id: i.id, label: i.label, setupError })) };
  }
  const v = deadWorkerViolation(beat, why);
  const results: ItemResult[] = [
    {
      id: dead.id,
      label: dead.label,
      result: { outcome: 'crash', calls: v.callIndex, violations: [v] },
    },
  ];
  const rest = task.items.filter((i) => i.id !== held);
  return rest.length === 0 ? { results } : { results, redo: { ...task, items: rest } };
}

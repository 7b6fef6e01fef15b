import { describe, expect, it } from 'vitest';
import type { ReplaySettings, TraceItem } from './protocol.js';
import { makeTasks } from './tasks.js';

const settings: ReplaySettings = {
  target: 'model',
  paranoid: false,
  timeoutMs: 1000,
  sampleBytes: 512,
};
const ids = (tasks: ReturnType<typeof makeTasks>): number[][] =>
  tasks.map((t) => t.items.map((i) => i.id));

describe('makeTasks', () => {
  it('hands out traces of known size largest first, every trace exactly once', () => {
    const sizes = [10, 500, 30, 30, 1000, 5, 5, 5, 200, 20];
    const items: TraceItem[] = sizes.map((size, id) => ({ id, label: `t${id}`, size }));
    const tasks = ids(makeTasks(items, settings, 2));
    expect(tasks.flat().sort((a, b) => a - b)).toEqual(sizes.map((_, i) => i));
    // Traces above a task's share of the bytes (1805 / 8) make a task of their own, first.
    expect(tasks.slice(0, 3)).toEqual([[4], [1], [8, 2]]);
    // Sizes never go up along the hand-out order.
    const order = tasks.flat().map((id) => sizes[id] ?? 0);
    expect(order).toEqual([...order].sort((a, b) => b - a));
  });

  it('never bundles traces of a mebibyte or more, however large the share', () => {
    const MiB = 1 << 20;
    const sizes = [300 * MiB, 2 * MiB, 1 * MiB, 3 * MiB, MiB - 1, 1000, 5000];
    const items: TraceItem[] = sizes.map((size, id) => ({ id, label: `t${id}`, size }));
    const tasks = ids(makeTasks(items, settings, 2));
    expect(tasks).toEqual([[0], [3], [1], [2], [4, 6], [5]]);
  });

  it('without sizes, equal slices in order', () => {
    const items: TraceItem[] = Array.from({ length: 18 }, (_, id) => ({ id, label: `t${id}` }));
    const tasks = ids(makeTasks(items, settings, 2));
    expect(tasks.flat()).toEqual(items.map((i) => i.id));
    expect(tasks.map((t) => t.length)).toEqual([3, 3, 3, 3, 3, 3]);
  });
});

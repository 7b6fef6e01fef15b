// Running a set of trace files through the pool with progress: shared by `replay` and the
// nightly job's corpus phase.
import { stat } from 'node:fs/promises';
import { PiscinaExecutor } from '../replay/pool.js';
import type { ItemResult, ReplaySettings } from '../replay/protocol.js';
import { makeTasks } from '../replay/tasks.js';
import { compact, type Progress } from './progress.js';

export interface ReplayRun {
  readonly results: ItemResult[];
  readonly wallMs: number;
  readonly calls: number;
}

export async function runReplays(
  files: readonly string[],
  settings: ReplaySettings,
  workers: number,
  progress: Progress,
  signal?: AbortSignal,
): Promise<ReplayRun> {
  const sizes = await Promise.all(
    files.map((f) =>
      stat(f).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  const items = files.map((path, id) => ({ id, label: path, path, size: sizes[id] ?? 0 }));
  const executor = new PiscinaExecutor(Math.min(workers, Math.max(1, items.length)));
  const started = performance.now();
  let done = 0;
  let calls = 0;
  let violations = 0;
  try {
    const results = await executor.run(makeTasks(items, settings, executor.workers), {
      ...(signal === undefined ? {} : { signal }),
      onItem: (r) => {
        done++;
        calls += r.result?.calls ?? 0;
        violations += r.result?.violations.length ?? 0;
        const secs = (performance.now() - started) / 1000;
        progress.update(done, {
          calls: compact(calls),
          'calls/s': compact(calls / Math.max(secs, 1e-3)),
          violations,
        });
      },
    });
    return { results, wallMs: performance.now() - started, calls };
  } finally {
    progress.stop();
    await executor.close();
  }
}

// Replaying traces stops starting a target that cannot start, as `vpdma fuzz` does (its
// campaign's noteStart): `replay` and the nightly job's phase 1, instead of paying a failed
// start (the 5 s hello allowance of a process that never answers) for every trace, stop once
// the first traces all failed to start it. Decided from those traces in order, so the same
// for any number of workers.
import type { ItemResult } from '../replay/protocol.js';
import { notStarted, STARTS_FAILED_MAX, withoutNotStarted } from '../replay/violation.js';
import type { ReplayRun, ReplayRunOptions } from './replayRun.js';

export { STARTS_FAILED_MAX };

/**
 * Why `r`'s target did not start; undefined when it started; null when the target was not
 * tried (the trace could not be read).
 */
function startFailure(r: ItemResult): string | undefined | null {
  if (r.inputError !== undefined) return null;
  if (r.setupError !== undefined) return r.setupError;
  const v = r.result?.violations[0];
  return v !== undefined && notStarted(v) ? v.message : undefined;
}

/** That the target cannot start: the last trace (by id) it was drawn from, and why. */
export interface StartVerdict {
  readonly lastId: number;
  readonly message: string;
}

/**
 * Decides, from the results in trace order whatever order they come in (so the same for any
 * number of workers), whether the first `max` traces that reached the target all failed to
 * start it. Once one started, it never decides so.
 */
export class StartWatch {
  private readonly waiting = new Map<number, ItemResult>();
  private next = 0;
  private failed = 0;
  private settled = false;
  verdict: StartVerdict | undefined;

  constructor(private readonly max = STARTS_FAILED_MAX) {}

  /** Notes a result; true when it is the one that decides that the target cannot start. */
  note(r: ItemResult): boolean {
    if (this.settled) return false;
    this.waiting.set(r.id, r);
    for (;;) {
      const x = this.waiting.get(this.next);
      if (x === undefined) return false;
      this.waiting.delete(this.next++);
      const why = startFailure(x);
      if (why === null) continue;
      if (why === undefined || ++this.failed >= this.max) {
        this.settled = true;
        this.waiting.clear();
        if (why === undefined) return false;
        this.verdict = { lastId: x.id, message: why };
        return true;
      }
    }
  }
}

/**
 * `run` with the first STARTS_FAILED_MAX traces sent out first, one a task (so the verdict
 * comes early), stopped as `signal` stops it, or once those traces all failed to start the
 * target: then `verdict` says so. `run` passes the options on to runReplays.
 */
export async function watchStarts<R extends ReplayRun>(
  signal: AbortSignal | undefined,
  run: (signal: AbortSignal, options: ReplayRunOptions) => Promise<R>,
): Promise<{ readonly run: R; readonly verdict: StartVerdict | undefined }> {
  const stop = new AbortController();
  const forward = (): void => stop.abort();
  if (signal?.aborted === true) stop.abort();
  signal?.addEventListener('abort', forward, { once: true });
  const watch = new StartWatch();
  try {
    const done = await run(stop.signal, {
      head: STARTS_FAILED_MAX,
      onItem: (r) => {
        if (watch.note(r)) stop.abort();
      },
    });
    return { run: done, verdict: watch.verdict };
  } finally {
    signal?.removeEventListener('abort', forward);
  }
}

/** How the error of a trace not tried after a verdict begins. */
export const NOT_TRIED = 'not started: ';

/** The error of a trace not tried after the verdict (its entry's, outcome setup-failed). */
export function notTriedMessage(v: StartVerdict): string {
  return `${NOT_TRIED}the target failed to start ${STARTS_FAILED_MAX} times in a row with: ${withoutNotStarted(v.message)}`;
}

/**
 * `vpdma replay`'s results after a verdict: the traces it was drawn from as they ran, and
 * every later one not started, saying why (notTriedMessage). Traces after them that ran
 * meanwhile, on other workers, are dropped: which ones did depends on the workers, and they
 * tell no more than the same failed start.
 */
export function withNotTried(
  results: readonly ItemResult[],
  v: StartVerdict,
  labels: readonly string[],
): ItemResult[] {
  const kept = results.filter((r) => r.id <= v.lastId).sort((a, b) => a.id - b.id);
  const setupError = notTriedMessage(v);
  labels.forEach((label, id) => {
    if (id > v.lastId) kept.push({ id, label, setupError });
  });
  return kept;
}

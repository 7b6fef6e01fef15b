// `--disable` for traces: which of them call a function the target does not implement.
// `vpdma replay --disable` skips them, and `vpdma nightly --disable` leaves out the bundled
// corpus traces and earlier repros that do (nightlyPlan.ts callingDisabled).
import { streamTraceBatches } from '../store/traceFiles.js';
import type { Trace } from '../trace/trace.js';

/** The first function of `off` the trace calls, in call order; undefined for none. */
export function firstDisabledCall(
  trace: Pick<Trace, 'calls'>,
  off: ReadonlySet<string>,
): string | undefined {
  return trace.calls.find((c) => off.has(c.fn))?.fn;
}

/** A trace `vpdma replay --disable` leaves out, and why (report.json's `skipped`). */
export interface SkippedTrace {
  readonly trace: string;
  readonly reason: string;
}

/** What skipDisabled decided: the files to replay, and the traces left out. */
export interface Disabling {
  readonly files: string[];
  readonly skipped: SkippedTrace[];
}

/**
 * The files to replay, and those left out because they call a disabled function (in the
 * given order). Each file is streamed to its end, in bounded memory, however long it is. A
 * file with damage anywhere is replayed, and reported as the replay finds it: its damage says
 * more than a skip would. Once `signal` aborts, the read under way ends at its next chunk and
 * that file and the rest are kept unread: the replay, stopped too, starts none of them.
 */
export async function skipDisabled(
  files: readonly string[],
  disabled: readonly string[],
  /** A file's name in the list, where not its path (a spooled stdin's). */
  labels: ReadonlyMap<string, string> = new Map(),
  signal?: AbortSignal,
): Promise<Disabling> {
  const off = new Set(disabled);
  const kept: string[] = [];
  const skipped: SkippedTrace[] = [];
  for (const f of files) {
    const fn = signal?.aborted === true ? undefined : await firstDisabledInFile(f, off, signal);
    if (fn === undefined) kept.push(f);
    else skipped.push({ trace: labels.get(f) ?? f, reason: `calls ${fn}, which --disable names` });
  }
  return { files: kept, skipped };
}

/**
 * The first function of `off` the file calls; undefined for none, or for a file with bad
 * input anywhere (read to its end, however many calls it holds, as the replay reads it).
 */
async function firstDisabledInFile(
  path: string,
  off: ReadonlySet<string>,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  let first: string | undefined;
  const read = {
    traceCallsMax: Number.POSITIVE_INFINITY,
    ...(signal === undefined ? {} : { signal }),
  };
  for await (const item of streamTraceBatches(path, read)) {
    if (item.kind === 'error') return undefined;
    if (item.kind === 'calls') first ??= firstDisabledCall(item, off);
  }
  return first;
}

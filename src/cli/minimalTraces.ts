// Which failing corpus traces are repros already: their header's meta records `minimized`,
// which `vpdma minimize` (and a night minimizing a corpus trace) writes into every repro. The
// nightly summary suggests replaying one with --explain, not minimizing it again (which gives
// the same calls back, as `NAME.min.min.txt`).
import type { ItemResult } from '../replay/protocol.js';
import { streamTraceBatches } from '../store/traceFiles.js';

/** Whether the trace at `path` says in its meta that it is a minimized repro (read: its header). */
export async function isMinimizedRepro(path: string): Promise<boolean> {
  // Only the header is read: the stream is closed after its first item.
  const items = streamTraceBatches(path);
  try {
    const first = await items.next();
    return (
      first.done !== true &&
      first.value.kind === 'header' &&
      Object.hasOwn(first.value.header.meta, 'minimized')
    );
  } finally {
    await items.return(undefined);
  }
}

/** The labels (paths) of the traces in `results` that showed a violation and are repros already. */
export async function minimizedRepros(results: readonly ItemResult[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const r of results)
    if ((r.result?.violations.length ?? 0) > 0 && (await isMinimizedRepro(r.label)))
      found.add(r.label);
  return found;
}

// Where a call is in its trace file, for messages that name it by line: JSONL has one call a
// line after the header (blank lines only at the end), so call i is on line i + 2; a .txt file
// has comments, blank lines and header directives among its calls, so it is read (up to the
// last call asked for). A .vpt file has no lines.
import { splitLineBatches } from '../trace/lines.js';
import { fileChunks, type IoStatus } from './fileChunks.js';
import { formatOf, isGzipPath } from './traceFormat.js';
import { gunzipChunks } from './gzipChunks.js';

/**
 * The 1-based line of each of the calls `indices` names (0-based, as replay counts them) in
 * the trace file `path`. Calls it cannot place (a .vpt, a file it cannot read, an index past
 * the last call) are left out: a location is a help, never a reason to fail.
 */
export async function callLines(
  path: string,
  indices: Iterable<number>,
): Promise<Map<number, number>> {
  const wanted = new Set(indices);
  const lines = new Map<number, number>();
  const format = formatOf(path);
  if (format === 'jsonl') for (const i of wanted) lines.set(i, i + 2);
  if (format !== 'txt' || wanted.size === 0) return lines;
  const last = Math.max(...wanted);
  const status: IoStatus = {};
  let call = -1;
  const chunks = isGzipPath(path) ? gunzipChunks(path, status) : fileChunks(path, status);
  for await (const batch of splitLineBatches(chunks)) {
    for (const e of batch) {
      if (e.kind === 'error') return lines;
      // As the text reader tells them apart: blank, a comment or a directive, else a call.
      const t = e.text.replace(/^\uFEFF/, '').trim();
      if (t === '' || t.startsWith('#')) continue;
      call++;
      if (wanted.has(call)) lines.set(call, e.line);
      if (call >= last) return lines;
    }
  }
  return lines;
}

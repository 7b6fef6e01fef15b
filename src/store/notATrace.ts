// A file in a corpus directory that is no trace at all (a note, a stray log named .txt) is not
// a damaged trace: the warning says "not a trace, ignored", and keeps "corrupted" for a trace
// that is damaged. Asked only of files that failed to read: the happy path pays nothing.
import { openRegular } from './fileChunks.js';
import { VPT_MAGIC } from '../trace/codec.js';
import { formatOf, isGzipPath } from './traceFormat.js';

/** Bytes looked at: a header is near the start. */
const headBytes = 64 * 1024;

/**
 * Why `path` is not a trace (its format's opening is missing: the .vpt magic, a header naming
 * `vpdma-trace` in the first line of a .jsonl or anywhere in the start of a .txt), or
 * undefined when it may be a damaged one: an empty file, a compressed one, one unreadable.
 */
export async function notATrace(path: string): Promise<string | undefined> {
  const format = formatOf(path);
  if (format === undefined || isGzipPath(path)) return undefined;
  let head: Buffer;
  try {
    const f = await openRegular(path);
    try {
      const buf = Buffer.alloc(headBytes);
      const { bytesRead } = await f.read(buf, 0, headBytes, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await f.close();
    }
  } catch {
    return undefined;
  }
  if (head.length === 0) return undefined; // truncated to nothing: a trace's damage, maybe
  if (format === 'vpt')
    return VPT_MAGIC.every((b, i) => head[i] === b) ? undefined : 'no .vpt magic "VPDT"';
  const text = head.toString('latin1');
  if (format === 'jsonl') {
    const end = text.indexOf('\n');
    // A first line longer than what was read: too long to tell.
    if (end < 0 && head.length === headBytes) return undefined;
    const first = end < 0 ? text : text.slice(0, end);
    return first.includes('vpdma-trace') ? undefined : 'its first line is no trace header';
  }
  return text.includes('#! vpdma-trace') ? undefined : 'no "#! vpdma-trace v1" header line';
}

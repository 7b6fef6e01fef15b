// A trace named for one format that holds another (a .vpt saved as .jsonl, a JSONL trace as
// .vpt): the error at its very start says so, rather than only "invalid UTF-8" or "bad magic".
import { openRegular } from './fileChunks.js';
import { VPT_MAGIC } from '../trace/codec.js';
import type { TraceError } from '../trace/traceError.js';

type Format = 'jsonl' | 'vpt' | 'txt';

async function firstBytes(path: string, n: number): Promise<Uint8Array> {
  const fh = await openRegular(path);
  try {
    const buf = new Uint8Array(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The format the bytes start as, by their first bytes (a BOM skipped), if any. */
export function formatByContent(head: Uint8Array): Format | undefined {
  if (VPT_MAGIC.every((b, i) => head[i] === b)) return 'vpt';
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  if (head[bom] === 0x7b) return 'jsonl'; // '{'
  if (head[bom] === 0x23) return 'txt'; // '#'
  return undefined;
}

/** `e` with a hint when it is at the start of a file whose bytes are another format's. */
export async function withFormatHint(
  path: string,
  named: Format,
  e: TraceError,
): Promise<TraceError> {
  const atStart = e.line === 1 || e.offset === 0;
  if (!atStart || e.damaged === true) return e;
  let head: Uint8Array;
  try {
    head = await firstBytes(path, 8);
  } catch {
    return e;
  }
  const is = formatByContent(head);
  if (is === undefined || is === named) return e;
  return { ...e, message: `${e.message} (it starts as a .${is} trace does: rename it .${is})` };
}

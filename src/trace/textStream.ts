// A trace printed as text from a stream, for a file of any size in bounded memory. Names need
// to know which productions later calls refer to, so the trace is read twice: pass one marks
// the referenced productions (and may feed a summary), pass two prints.
import type { TraceCall } from '../model/values.js';
import type { TraceBatchItem } from './items.js';
import { ReferenceScan, type Namer } from './textNames.js';
import { printCall, printTextHeader } from './textPrint.js';
import type { TraceError } from './traceError.js';
import { plural } from '../core/plural.js';

export type TextChunk =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'error'; readonly error: TraceError };

export interface TextPasses {
  /** The trace from its start: called once per pass. */
  readonly open: () => AsyncIterable<TraceBatchItem>;
  /** Where errors are reported when the passes disagree. */
  readonly file: string;
  /** Sees the items of pass one (its header and calls: a summary, say). */
  readonly onItem?: (item: TraceBatchItem) => void;
  /** Produced values kept findable by exact value (default namedExactKept; for tests). */
  readonly exactKept?: number;
  /** End each call's line with `  # call N` (N counted from 0, as replay counts calls). */
  readonly numbers?: boolean;
}

/** Text handed out at a time, characters: one line can hold a megabyte of hex. */
const chunkChars = 1 << 20;

/**
 * The trace as text (printText's output, in chunks), or an error item and nothing more when
 * pass one finds the trace bad. Pass two ends in an error if the file changed in between.
 */
export async function* printTextStreamed(p: TextPasses): AsyncGenerator<TextChunk> {
  const first = await scanPass(p);
  if ('error' in first) {
    yield first;
    return;
  }
  const { namer, calls } = first;
  let printed = 0;
  let lines: string[] = [];
  let chars = 0;
  let index = 0;
  const print = (call: TraceCall): void => {
    const text = printCall(call, namer.notes(call));
    const line = p.numbers === true ? `${text}  # call ${index}` : text;
    index++;
    lines.push(line);
    chars += line.length + 1;
  };
  for await (const item of p.open()) {
    if (item.kind === 'error') {
      yield item;
      return;
    }
    if (item.kind === 'header') {
      lines.push(...printTextHeader(item.header));
      continue;
    }
    printed += item.calls.length;
    if (printed > calls) break;
    item.calls.forEach(print);
    if (chars >= chunkChars) {
      yield { kind: 'text', text: `${lines.join('\n')}\n` };
      lines = [];
      chars = 0;
    }
  }
  if (lines.length > 0) yield { kind: 'text', text: `${lines.join('\n')}\n` };
  if (printed !== calls) {
    const message = `changed while being read: ${plural(calls, 'call')}, then ${printed > calls ? 'more' : printed}`;
    yield { kind: 'error', error: { file: p.file, message } };
  }
}

/** Pass one, in its own frame so its production index is garbage once pass two starts. */
async function scanPass(
  p: TextPasses,
): Promise<{ namer: Namer; calls: number } | Extract<TextChunk, { kind: 'error' }>> {
  const scan = new ReferenceScan(p.exactKept);
  let calls = 0;
  for await (const item of p.open()) {
    p.onItem?.(item);
    if (item.kind === 'error') return item;
    if (item.kind === 'calls') {
      calls += item.calls.length;
      for (const call of item.calls) scan.add(call);
    }
  }
  return { namer: scan.namer(), calls };
}

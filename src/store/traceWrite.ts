// Writing trace files: atomically, in the format the name says (gzip-compressed for a name
// ending in .gz), streamed where the format allows. Failures come back as TraceError values.
import { assert } from '../core/assert.js';
import type { Result } from '../core/result.js';
import { err, ok } from '../core/result.js';
import type { Trace } from '../trace/trace.js';
import type { TraceError } from '../trace/traceError.js';
import type { TraceBatchItem, TraceItem } from '../trace/items.js';
import { collectTrace, traceItems } from '../trace/items.js';
import { encodeJsonlCall, encodeJsonlHeader } from '../trace/jsonl.js';
import { VptWriter } from '../trace/vpt.js';
import { printText } from '../trace/text.js';
import { printTextStreamed } from '../trace/textStream.js';
import { ioMessage } from './fileChunks.js';
import { AtomicWriter } from './atomicFile.js';
import { formatOf, isGzipPath, UNKNOWN_FORMAT } from './traceFormat.js';
import { GzipSink, type Sink } from './gzipSink.js';

/**
 * Writes a trace atomically in the format its name says. `text` is the .txt form to write
 * instead of printText's (an annotated repro, which must parse to `trace`); other formats
 * ignore it.
 */
export async function writeTraceAtomic(
  path: string,
  trace: Trace,
  text?: string,
): Promise<Result<{ calls: number }, TraceError>> {
  if (text !== undefined && formatOf(path) === 'txt')
    return writeAtomic(path, { text, calls: trace.calls.length });
  return writeTraceItemsAtomic(path, traceItems(trace));
}

type Items = AsyncIterable<TraceItem | TraceBatchItem> | Iterable<TraceItem | TraceBatchItem>;

/** A trace's text already printed (writeTraceAtomic's `text`). */
interface Printed {
  readonly text: string;
  readonly calls: number;
}

/** A trace that can be read again from its start (a file): `open` is called once per pass. */
export interface Reopenable {
  readonly file: string;
  readonly open: () => AsyncIterable<TraceBatchItem>;
}

/**
 * Where a write reads from: a stream of items, or a reopenable trace (then .txt streams in
 * two passes, in bounded memory, instead of collecting the trace).
 */
export type TraceSource = Items | Reopenable;

const isReopenable = (s: TraceSource): s is Reopenable => 'open' in s;

/**
 * Writes a stream of items atomically: .vpt and .jsonl in bounded memory; .txt in two passes
 * when the source can be reopened, else by collecting the trace first (names need the whole
 * trace). An error item aborts; the target is untouched.
 */
export async function writeTraceItemsAtomic(
  path: string,
  source: TraceSource,
): Promise<Result<{ calls: number }, TraceError>> {
  return writeAtomic(path, source);
}

async function writeAtomic(
  path: string,
  source: TraceSource | Printed,
): Promise<Result<{ calls: number }, TraceError>> {
  const format = formatOf(path);
  if (format === undefined) return err({ file: path, message: UNKNOWN_FORMAT });
  let file: AtomicWriter;
  try {
    file = await AtomicWriter.create(path);
  } catch (e) {
    return err({ file: path, message: `cannot write: ${ioMessage(e)}` });
  }
  const gz = isGzipPath(path) ? new GzipSink(file) : undefined;
  const w: Sink = gz ?? file;
  try {
    const r =
      'text' in source
        ? await writePrinted(w, source)
        : format !== 'txt'
          ? await writeStreamed(w, isReopenable(source) ? source.open() : source, format)
          : isReopenable(source)
            ? await writeTextStreamed(w, source)
            : await writeText(w, source);
    if (!r.ok) {
      gz?.destroy();
      await file.abort();
      return r;
    }
    await gz?.finish();
    await file.commit();
    return r;
  } catch (e) {
    gz?.destroy();
    await file.abort();
    if (e instanceof Error && 'code' in e)
      return err({ file: path, message: `cannot write: ${ioMessage(e)}` });
    throw e;
  }
}

async function writeStreamed(
  w: Sink,
  items: Items,
  format: 'vpt' | 'jsonl',
): Promise<Result<{ calls: number }, TraceError>> {
  let vpt: VptWriter | undefined;
  let lines: string[] = [];
  let lineChars = 0;
  let calls = 0;
  let header = false;
  for await (const item of items) {
    if (item.kind === 'error') return err(item.error);
    if (item.kind === 'header') {
      assert(!header, 'a trace stream has one header');
      header = true;
      if (format === 'vpt') {
        vpt = new VptWriter(item.header);
        await w.write(vpt.start());
      } else lines.push(encodeJsonlHeader(item.header));
      continue;
    }
    assert(header, 'a trace stream starts with its header');
    for (const call of item.kind === 'call' ? [item.call] : item.calls) {
      calls++;
      if (vpt !== undefined) {
        const frame = vpt.push(call);
        if (frame !== undefined) await w.write(frame);
      } else {
        const line = encodeJsonlCall(call);
        lines.push(line);
        lineChars += line.length;
        // Bounded by size, not count: one line can hold a megabyte of hex.
        if (lineChars >= 1 << 20) {
          await w.write(`${lines.join('\n')}\n`);
          lines = [];
          lineChars = 0;
        }
      }
    }
  }
  if (!header) return err({ file: w.path, message: 'nothing to write: the input has no header' });
  const last = vpt?.finish();
  if (last !== undefined) await w.write(last);
  if (lines.length > 0) await w.write(`${lines.join('\n')}\n`);
  return ok({ calls });
}

async function writeTextStreamed(
  w: Sink,
  source: Reopenable,
): Promise<Result<{ calls: number }, TraceError>> {
  let calls = 0;
  let header = false;
  const chunks = printTextStreamed({
    ...source,
    onItem: (item) => {
      if (item.kind === 'calls') calls += item.calls.length;
      else if (item.kind === 'header') header = true;
    },
  });
  for await (const chunk of chunks) {
    if (chunk.kind === 'error') return err(chunk.error);
    await w.write(chunk.text);
  }
  if (!header) return err({ file: w.path, message: 'nothing to write: the input has no header' });
  return ok({ calls });
}

async function writePrinted(w: Sink, p: Printed): Promise<Result<{ calls: number }, TraceError>> {
  await w.write(p.text);
  return ok({ calls: p.calls });
}

async function writeText(w: Sink, items: Items): Promise<Result<{ calls: number }, TraceError>> {
  const trace = await collectTrace(items);
  if (!trace.ok) return trace;
  await w.write(printText(trace.value));
  return ok({ calls: trace.value.calls.length });
}

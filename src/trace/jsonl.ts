// JSONL, the interchange format (DESIGN.md): line 1 the header, then one call per line.
// One line decoder serves the whole-text parser and the streaming reader.
import type { TraceCall } from '../model/values.js';
import { callsMax, lineBytesMax } from '../core/limits.js';
import type { Result } from '../core/result.js';
import { err, ok } from '../core/result.js';
import { InvariantError } from '../core/assert.js';
import type { Trace, TraceHeader } from './trace.js';
import type { TraceError } from './traceError.js';
import { formatTraceError, traceError } from './traceError.js';
import { perCall, type StreamOptions, type TraceBatchItem, type TraceItem } from './items.js';
import { splitLineBatches } from './lines.js';
import { adoptCall, validateCall } from './validate.js';
import { headerToJson, validateHeader } from './header.js';
import { callToJson } from './json.js';
import { repeatedKey } from './duplicateKeys.js';
import { jsonSyntaxMessage } from '../core/jsonSyntax.js';

const BLANK = /^\s*$/;
// DESIGN.md: JSONL is one JSON object per line; only the text format has blank lines.
const BLANK_LINE =
  'empty line: a .jsonl trace has one JSON object on every line, blank lines only at its end (remove it; a .txt trace may have blank lines anywhere)';

/**
 * Characters of blank lines (newlines included) a JSONL trace may end with: as much as one
 * line. Without a bound, a small .jsonl.gz of newlines costs minutes of CPU to stream.
 */
export const trailingBlankCharsMax = lineBytesMax;

/** Decodes JSONL line by line; `line` returns undefined for a trailing blank line. */
class JsonlLineDecoder {
  private sawHeader = false;
  private blankLine = 0;
  private blankChars = 0;
  private calls = 0;

  constructor(
    private readonly file?: string,
    /** Calls a trace may hold (a reader that keeps none may pass Infinity). */
    private readonly traceCallsMax = callsMax,
  ) {}

  /** `unterminated`: the input ended in this line, before its newline. */
  line(input: string, line: number, unterminated = false): TraceItem | undefined {
    const where = this.file === undefined ? { line } : { file: this.file, line };
    // Windows tools often start UTF-8 files with a byte-order mark.
    const text = line === 1 && input.startsWith('\uFEFF') ? input.slice(1) : input;
    if (text.startsWith('\uFEFF'))
      return fail(
        traceError(
          where,
          undefined,
          'a byte-order mark where JSON belongs (one is allowed, at the very start)',
        ),
      );
    if (BLANK.test(text)) {
      if (line === 1)
        return fail(traceError(where, undefined, 'line 1 is blank, but it must be the header'));
      if (this.blankLine === 0) this.blankLine = line;
      this.blankChars += input.length + 1;
      if (this.blankChars > trailingBlankCharsMax) {
        const message = `more than ${trailingBlankCharsMax} characters of blank lines from line ${this.blankLine} on; refused without reading the rest`;
        return fail(traceError(where, undefined, message));
      }
      return undefined;
    }
    if (this.blankLine !== 0) {
      const at = { ...where, line: this.blankLine };
      return fail(traceError(at, undefined, BLANK_LINE));
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      const bad = traceError(where, undefined, `invalid JSON: ${jsonSyntaxMessage(e)}`);
      return fail(unterminated ? this.cutShort(bad) : bad);
    }
    const repeated = repeatedKey(text, raw);
    if (repeated !== undefined) {
      return fail(traceError(where, repeated, 'key appears twice in one object'));
    }
    if (!this.sawHeader) {
      this.sawHeader = true;
      const h = validateHeader(raw, where);
      return h.ok ? { kind: 'header', header: h.value } : fail(h.error);
    }
    if (++this.calls > this.traceCallsMax) {
      return fail(traceError(where, undefined, `more than ${this.traceCallsMax} calls`));
    }
    const c = adoptCall(raw, where);
    return c.ok ? { kind: 'call', call: c.value } : fail(c.error);
  }

  /**
   * An unparsable last line without its newline is where a writer was cut off (a capture on
   * a machine that crashed): damage, with every line before it intact once the header is.
   */
  cutShort(e: TraceError): TraceError {
    if (!this.sawHeader) return e;
    return {
      ...e,
      message: `truncated: the last line stops before its newline (${e.message})`,
      damaged: true,
    };
  }

  /** The error for input that ended here, if it is incomplete. */
  end(): TraceError | undefined {
    if (this.sawHeader) return undefined;
    return traceError(
      this.file === undefined ? {} : { file: this.file },
      undefined,
      'empty file: no header',
    );
  }
}

function fail(error: TraceError): { readonly kind: 'error'; readonly error: TraceError } {
  return { kind: 'error', error };
}

/** Parses a whole JSONL text. */
export function parseJsonl(text: string, file?: string): Result<Trace, TraceError> {
  const decoder = new JsonlLineDecoder(file);
  let header: TraceHeader | undefined;
  const calls: TraceCall[] = [];
  let start = 0;
  // An empty text has no line 1 (so the same "empty file" as the stream's), "\n" a blank one.
  for (let line = 1; start < text.length; line++) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = text.length;
    const item = decoder.line(text.slice(start, nl), line, nl === text.length && start < nl);
    start = nl + 1;
    if (item === undefined) continue;
    if (item.kind === 'error') return err(item.error);
    if (item.kind === 'header') header = item.header;
    else calls.push(item.call);
  }
  const end = decoder.end();
  if (end !== undefined || header === undefined) return err(end ?? { message: 'no header' });
  return ok({ header, calls });
}

/** Streams a JSONL byte stream: header, calls, and an error item if the input is bad. */
export function readJsonlCalls(
  chunks: AsyncIterable<Uint8Array>,
  file?: string,
): AsyncGenerator<TraceItem> {
  return perCall(readJsonlBatches(chunks, file));
}

/**
 * readJsonlCalls a chunk at a time: the calls of the lines each chunk completes as one batch
 * (everything before a bad line, then its error).
 */
export async function* readJsonlBatches(
  chunks: AsyncIterable<Uint8Array>,
  file?: string,
  o: StreamOptions = {},
): AsyncGenerator<TraceBatchItem> {
  const decoder = new JsonlLineDecoder(file, o.traceCallsMax);
  for await (const events of splitLineBatches(chunks)) {
    let calls: TraceCall[] = [];
    for (const ev of events) {
      let item: TraceItem | undefined;
      if (ev.kind === 'error') {
        const where = file === undefined ? { line: ev.line } : { file, line: ev.line };
        const bad = traceError(where, undefined, ev.message);
        item = fail(ev.unterminated === true ? decoder.cutShort(bad) : bad);
      } else item = decoder.line(ev.text, ev.line, ev.unterminated === true);
      if (item === undefined) continue;
      if (item.kind === 'call') {
        calls.push(item.call);
        continue;
      }
      if (calls.length > 0) yield { kind: 'calls', calls };
      calls = [];
      yield item;
      if (item.kind === 'error') return;
    }
    if (calls.length > 0) yield { kind: 'calls', calls };
  }
  const end = decoder.end();
  if (end !== undefined) yield fail(end);
}

/** The header line (no newline). */
export function encodeJsonlHeader(header: TraceHeader): string {
  const checked = validateHeader(headerToJson(header), {});
  if (!checked.ok) throw new InvariantError(`invalid header: ${formatTraceError(checked.error)}`);
  return JSON.stringify(headerToJson(header));
}

/** One call line (no newline); the call is validated first (validate twice). */
export function encodeJsonlCall(call: TraceCall): string {
  const checked = validateCall(call, {});
  if (!checked.ok) throw new InvariantError(`invalid call: ${formatTraceError(checked.error)}`);
  return JSON.stringify(callToJson(checked.value));
}

export function formatJsonl(trace: Trace): string {
  const lines = [encodeJsonlHeader(trace.header)];
  for (const call of trace.calls) lines.push(encodeJsonlCall(call));
  return `${lines.join('\n')}\n`;
}

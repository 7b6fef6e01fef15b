// Parses the text repro format (grammar: text.ts) line by line. Each call line becomes the
// JSONL-shaped object validateCall checks, with rN names resolved to their values.
import { callsMax, lineBytesMax } from '../core/limits.js';
import type { Result } from '../core/result.js';
import { err, ok } from '../core/result.js';
import type { TraceCall } from '../model/values.js';
import type { Trace, TraceHeader } from './trace.js';
import type { TraceError, Where } from './traceError.js';
import { traceError } from './traceError.js';
import type { TraceItem } from './items.js';
import { adoptCall, SECOND_HEADER } from './validate.js';
import { validateHeader } from './header.js';
import { Cursor, TextSyntaxError } from './textCursor.js';
import { parseCallLine } from './textCall.js';
import { lineTooLongMessage, splitLines } from './lines.js';
import { repeatedKey } from './duplicateKeys.js';
import { jsonSyntaxMessage } from '../core/jsonSyntax.js';
import { wholeFileBytesMax } from './traceLimits.js';

/** Decodes text lines; returns the items each line completes (the header comes with call 1). */
export class TextLineDecoder {
  private rawHeader: Record<string, unknown> | undefined;
  /** The line each header field came from, so a bad one is reported where it is written. */
  private readonly headerLines = new Map<string, number>();
  private header: TraceHeader | undefined;
  private readonly names = new Map<string, bigint>();
  private calls = 0;

  constructor(private readonly file?: string) {}

  private where(line: number): Where {
    return this.file === undefined ? { line } : { file: this.file, line };
  }

  line(text: string, line: number): TraceItem[] {
    const where = this.where(line);
    if (text.length > lineBytesMax) return [fail(where, lineTooLongMessage(lineBytesMax))];
    const untrimmed = line === 1 && text.startsWith('\uFEFF') ? text.slice(1) : text;
    const t = untrimmed.trim();
    if (t === '' || (t.startsWith('#') && !t.startsWith('#!'))) return [];
    try {
      if (t.startsWith('#!')) return this.directive(t, where);
      const items = this.header === undefined ? this.finishHeader(where) : [];
      if (items.length > 0 && items[0]?.kind === 'error') return items;
      if (++this.calls > callsMax) return [fail(where, `more than ${callsMax} calls`)];
      const parsed = parseCallLine(new Cursor(t), this.names);
      const c = adoptCall(parsed.raw, where);
      if (!c.ok) return [...items, { kind: 'error', error: c.error }];
      for (const [name, value] of parsed.defs) this.names.set(name, value);
      return [...items, { kind: 'call', call: c.value }];
    } catch (e) {
      if (!(e instanceof TextSyntaxError)) throw e;
      // Columns count from the line as written, indentation included.
      const indent = untrimmed.length - untrimmed.trimStart().length;
      return [fail(where, `column ${e.column + indent}: ${e.message}`)];
    }
  }

  private directive(t: string, where: Where): TraceItem[] {
    const c = new Cursor(t);
    c.expect('#!');
    const word = c.ident();
    if (this.header !== undefined) {
      const second = word === 'vpdma' && c.eat('-trace');
      return [fail(where, second ? SECOND_HEADER : 'header directives must come before the calls')];
    }
    if (word === 'vpdma' && c.eat('-trace')) return this.formatLine(c, where);
    if (this.rawHeader === undefined)
      return [fail(where, 'the first directive must be "#! vpdma-trace v1"')];
    if (word !== 'device' && word !== 'meta')
      return [fail(where, `unknown directive ${JSON.stringify(word ?? '')}`)];
    if (word in this.rawHeader) return [fail(where, `duplicate "#! ${word}" directive`)];
    this.headerLines.set(word, where.line ?? 0);
    const json = t.slice(c.pos);
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch (e) {
      return [traceErrorItem(where, word, `invalid JSON: ${jsonSyntaxMessage(e, c.pos)}`)];
    }
    const repeated = repeatedKey(json, raw);
    if (repeated !== undefined)
      return [traceErrorItem(where, `${word}.${repeated}`, 'key appears twice in one object')];
    this.rawHeader[word] = raw;
    return [];
  }

  private formatLine(c: Cursor, where: Where): TraceItem[] {
    if (this.rawHeader !== undefined) return [fail(where, 'duplicate "#! vpdma-trace" directive')];
    const v = c.ident();
    const version = v !== undefined && /^v[0-9]{1,6}$/.test(v) ? Number(v.slice(1)) : v;
    const raw: Record<string, unknown> = { format: 'vpdma-trace', version };
    if (c.eat('profile')) {
      c.expect('=');
      // An empty value would read as no profile at all: the writer meant one, say which.
      const profile = c.ident();
      if (profile === undefined) c.fail(`expected a profile (docs or reactos)${c.found()}`);
      raw['profile'] = profile;
    }
    // A trailing comment, as after a call; `device` and `meta` cannot have one (their JSON
    // strings may hold '#').
    if (!c.atEnd() && c.peek() !== '#') c.fail(`unexpected text${c.found()}`);
    for (const k of ['format', 'version', 'profile']) this.headerLines.set(k, where.line ?? 0);
    this.rawHeader = raw;
    return [];
  }

  private finishHeader(where: Where): TraceItem[] {
    if (this.rawHeader === undefined) {
      return [fail(where, 'missing "#! vpdma-trace v1" header line before the first call')];
    }
    const h = validateHeader(this.rawHeader, where);
    if (!h.ok) {
      const key = (h.error.field ?? '').split(/[.[]/)[0] ?? '';
      const line = this.headerLines.get(key) ?? this.headerLines.get('format');
      return [{ kind: 'error', error: line === undefined ? h.error : { ...h.error, line } }];
    }
    this.header = h.value;
    return [{ kind: 'header', header: h.value }];
  }

  /** Items due at the end of the input: the header of a trace without calls, or an error. */
  end(line: number): TraceItem[] {
    return this.header === undefined ? this.finishHeader(this.where(line)) : [];
  }
}

function fail(where: Where, message: string): TraceItem {
  return { kind: 'error', error: traceError(where, undefined, message) };
}

function traceErrorItem(where: Where, field: string, message: string): TraceItem {
  return { kind: 'error', error: traceError(where, field, message) };
}

/** Parses a whole text trace. */
export function parseText(text: string, file?: string): Result<Trace, TraceError> {
  const d = new TextLineDecoder(file);
  let header: TraceHeader | undefined;
  const calls: TraceCall[] = [];
  let line = 1;
  const take = (items: TraceItem[]): TraceError | undefined => {
    for (const item of items) {
      if (item.kind === 'error') return item.error;
      if (item.kind === 'header') header = item.header;
      else calls.push(item.call);
    }
    return undefined;
  };
  for (let start = 0; start < text.length; line++) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = text.length;
    const e = take(d.line(text.slice(start, nl), line));
    if (e !== undefined) return err(e);
    start = nl + 1;
  }
  const e = take(d.end(line));
  if (e !== undefined) return err(e);
  return header === undefined ? err({ message: 'no header' }) : ok({ header, calls });
}

/** Comment, blank and directive text a streamed .txt may hold: as much as replay reads whole. */
const quietCharsMax = wholeFileBytesMax;
/**
 * What one such line counts for at least, characters: a line costs its CPU however short, and
 * 512 MiB of bare newlines (a 2 MB .txt.gz) took minutes to refuse; 8 M lines take seconds.
 */
export const quietLineCharsMin = 64;

function quietTooMuch(max: number): string {
  const size = max >= 2 ** 20 ? `${max / 2 ** 20} MiB` : `${max} characters`;
  return `more than ${size} of comments and blank lines; refused without reading the rest`;
}

/** Streams a text trace from bytes. */
export async function* readTextCalls(
  chunks: AsyncIterable<Uint8Array>,
  file?: string,
  quietMax = quietCharsMax,
): AsyncGenerator<TraceItem> {
  const d = new TextLineDecoder(file);
  let last = 1;
  let quietChars = 0;
  for await (const ev of splitLines(chunks)) {
    const where = file === undefined ? { line: ev.line } : { file, line: ev.line };
    if (ev.kind === 'error') {
      yield fail(where, ev.message);
      return;
    }
    last = ev.line;
    const items = d.line(ev.text, ev.line);
    // Comments and blank lines bring nothing, so nothing else bounds them in a stream: a
    // .txt.gz of them alone would be read to its end. They get the bound replay's whole read
    // has (characters counted: a byte or more each, a line quietLineCharsMin at least).
    if (
      items.length === 0 &&
      (quietChars += Math.max(ev.text.length + 1, quietLineCharsMin)) > quietMax
    ) {
      yield fail(where, quietTooMuch(quietMax));
      return;
    }
    for (const item of items) {
      yield item;
      if (item.kind === 'error') return;
    }
  }
  yield* d.end(last);
}

/**
 * The 1-based line of each call in a text trace, by TextLineDecoder.line's rule: blank lines
 * and comments (`#` not followed by `!`) are no call, nor are `#!` directives. For pointing at
 * a call (`vpdma replay --explain`); the text is assumed to parse.
 */
export function textCallLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  for (let start = 0; start < text.length; line++) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = text.length;
    const raw = text.slice(start, nl);
    const t = (line === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw).trim();
    if (t !== '' && !t.startsWith('#')) lines.push(line);
    start = nl + 1;
  }
  return lines;
}

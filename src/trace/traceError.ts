// A trace problem as a value: where it is (file, line or byte offset, call, field) and what
// is wrong. formatTraceError renders the one line the CLI prints.
import { oneLine } from '../core/oneLine.js';

export interface TraceError {
  readonly file?: string;
  /** 1-based line (JSONL and text). */
  readonly line?: number;
  /** Byte offset of the damaged frame or field (.vpt). */
  readonly offset?: number;
  /** 0-based call index (header not counted), when the format has no lines. */
  readonly callIndex?: number;
  /** Dotted path of the bad field, e.g. `args.pVrp.inputBufferLength`. */
  readonly field?: string;
  readonly message: string;
  /**
   * The input is cut short or corrupted here (a truncated or failed-checksum .vpt frame, a
   * JSONL last line cut mid-value), after an intact header: everything before it is readable.
   */
  readonly damaged?: true;
}

/** Where a value came from; validators copy it into the errors they return. */
export interface Where {
  readonly file?: string;
  readonly line?: number;
  readonly offset?: number;
  readonly callIndex?: number;
}

export function traceError(where: Where, field: string | undefined, message: string): TraceError {
  const e: {
    file?: string;
    line?: number;
    offset?: number;
    callIndex?: number;
    field?: string;
    message: string;
  } = { message };
  if (where.file !== undefined) e.file = where.file;
  if (where.line !== undefined) e.line = where.line;
  if (where.offset !== undefined) e.offset = where.offset;
  if (where.callIndex !== undefined) e.callIndex = where.callIndex;
  if (field !== undefined && field !== '') e.field = field;
  return e;
}

/** `file:7: args.length: message` or `file: byte 4096: call 12: message`, always one line. */
export function formatTraceError(e: TraceError): string {
  // A file name is text from outside too: a newline or an ESC in it must not reach the terminal.
  let place = oneLine(e.file ?? '<input>');
  if (e.line !== undefined) place += `:${e.line}`;
  const parts = [place];
  if (e.offset !== undefined) parts.push(`byte ${e.offset}`);
  if (e.callIndex !== undefined && e.line === undefined) parts.push(`call ${e.callIndex}`);
  if (e.field !== undefined) parts.push(bounded(oneLine(e.field), fieldCharsMax));
  parts.push(bounded(oneLine(e.message), messageCharsMax));
  return parts.join(': ');
}

/**
 * Bounds on what a message quotes from the input: a 50 MB function name or key in an untrusted
 * trace must not become a 50 MB line on the terminal or in the report.
 */
const fieldCharsMax = 120;
const messageCharsMax = 400;

function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length} characters)`;
}

/** A short, bounded rendering of an offending value for messages. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (typeof v === 'bigint') return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) {
    // JSON.parse has already rounded it: echoing the rounded number would misquote the file.
    return 'an integer beyond 2^53, which a JSON number cannot hold exactly';
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  // msgpackr decodes the timestamp extension (a .vpt, a process target) as a Date.
  if (v instanceof Date) return 'a MessagePack timestamp (ext type -1)';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v === 'object' ? 'an object' : typeof v;
}

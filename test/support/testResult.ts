// Test support: a decoder's or validator's Result as tests want it, errors as people read them.
import type { Result } from '../../src/core/result.js';
import { formatTraceError, type TraceError } from '../../src/trace/traceError.js';

/** The value; a rejection fails the test with the formatted error. */
export function accepted<T>(r: Result<T, TraceError>): T {
  if (!r.ok) throw new Error(formatTraceError(r.error));
  return r.value;
}

/** 'accepted', or the formatted error. */
export function verdict(r: Result<unknown, TraceError>): string {
  return r.ok ? 'accepted' : formatTraceError(r.error);
}
